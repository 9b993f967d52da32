#!/usr/bin/env bash
# The sample shop against the durable setup, in one command: starts a throwaway RabbitMQ and PostgreSQL
# (infra/test-services), the processor on them with the gateway sandbox in-process, then the shop; stops all on exit.
#   samples/Payments.SampleShop/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
export PAYMENTS_TEST_RABBIT_PORT="${PAYMENTS_TEST_RABBIT_PORT:-56672}" PAYMENTS_TEST_PG_PORT="${PAYMENTS_TEST_PG_PORT:-56432}"
processor_pid=""
log="$(mktemp /tmp/payments-sample-processor.XXXXXX.log)"

cleanup() {
  [[ -n "$processor_pid" ]] && kill "$processor_pid" 2>/dev/null && wait "$processor_pid" 2>/dev/null || true
  "$root/infra/test-services/rabbitmq.sh" stop 2>/dev/null || true
  "$root/infra/test-services/postgres.sh" stop 2>/dev/null || true
}
trap cleanup EXIT INT TERM

eval "$("$root/infra/test-services/postgres.sh" start)"
eval "$("$root/infra/test-services/rabbitmq.sh" start)"
rabbit_port="${PAYMENTS_TEST_RABBITMQ##*:}"

dotnet build "$root/src/Payments.Processor" -c Release -v quiet -nologo
dotnet build "$root/samples/Payments.SampleShop" -c Release -v quiet -nologo

export RabbitMq__Host=127.0.0.1 RabbitMq__Port="$rabbit_port" RabbitMq__Username=guest RabbitMq__Password=guest
Urls=http://127.0.0.1:5180 Database__Provider=PostgreSql ConnectionStrings__Payments="$PAYMENTS_TEST_POSTGRES" \
  Sandbox__Embedded=true Sandbox__Url=http://127.0.0.1:5190 Auth__MerchantApiKeys__0=sample-shop-merchant-key \
  Auth__OpsApiKeys__0=sample-shop-ops-key-0123456789 \
  Payments__CardEncryption__CurrentKeyId=sample Payments__CardEncryption__Keys__sample="$(openssl rand -base64 32)" \
  dotnet run --no-build -c Release --project "$root/src/Payments.Processor" >"$log" 2>&1 &
processor_pid=$!
for _ in $(seq 1 60); do
  curl -sf http://127.0.0.1:5180/health/ready >/dev/null 2>&1 && break
  kill -0 "$processor_pid" 2>/dev/null || { echo "run.sh: the processor exited; its log:" >&2; cat "$log" >&2; exit 1; }
  sleep 1
done
echo "run.sh: processor ready on http://127.0.0.1:5180 (log: $log)" >&2

dotnet run --no-build -c Release --project "$root/samples/Payments.SampleShop" -- --Shop:WaitSeconds="${SHOP_WAIT_SECONDS:-60}"
