#!/usr/bin/env bash
# What `dotnet publish` makes of the processor (and what the Dockerfile ships) holds no gateway sandbox, and without
# it the processor refuses to start until the gateways' BaseUrls are set, naming the setting.
# Publishes into a temporary directory with its own artifacts path, so the tree's bin/ and obj/ stay as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d /tmp/payments-publish-check.XXXXXX)"
trap 'rm -rf -- "$work"' EXIT

dotnet publish src/Payments.Processor -c Release -o "$work/out" --artifacts-path "$work/artifacts" -v quiet -nologo >&2

[[ -f "$work/out/Payments.Processor.dll" ]] || { echo "check-publish.sh: no Payments.Processor.dll was published" >&2; exit 1; }
if compgen -G "$work/out/Payments.Sandbox*" >/dev/null; then
  echo "check-publish.sh: the published processor contains the sandbox: $(cd "$work/out" && echo Payments.Sandbox*)" >&2
  exit 1
fi

# No gateway configured: start-up must fail at once, naming the missing setting (and never listen beyond loopback).
set +e
output="$(cd "$work/out" && env -u Gateways__Singapay__BaseUrl -u Gateways__Finpay__BaseUrl \
  Urls=http://127.0.0.1:0 timeout 60 dotnet Payments.Processor.dll 2>&1)"
status=$?
set -e
if [[ $status -eq 0 || $status -eq 124 ]] || ! grep -q "Gateways:Singapay:BaseUrl" <<<"$output"; then
  echo "check-publish.sh: without the sandbox and a gateway BaseUrl, start-up should fail naming Gateways:Singapay:BaseUrl (exit ${status}):" >&2
  echo "$output" | head -5 >&2
  exit 1
fi
echo "check-publish.sh: the published processor holds no sandbox, and without gateway settings it refuses to start naming them" >&2
