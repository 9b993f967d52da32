using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// Sends the one and only charge request for a payment. The attempt is recorded in the ledger before the request
/// leaves; if it is already there, an earlier delivery may have charged, so we inquire rather than send again.
/// </summary>
public sealed class SubmitChargeActivity(
    PaymentGatewayRouter gateways,
    IChargeAttemptLedger ledger,
    TimeProvider clock,
    IOptions<PaymentOptions> options,
    ILogger<SubmitChargeActivity> logger) : IStateMachineActivity<PaymentState, ChargeRequested>
{
    public async Task Execute(BehaviorContext<PaymentState, ChargeRequested> context, IBehavior<PaymentState, ChargeRequested> next)
    {
        context.Saga.ApplyCharge(await Charge(context), clock.GetUtcNow());
        await next.Execute(context);
    }

    private async Task<ChargeResult> Charge(BehaviorContext<PaymentState, ChargeRequested> context)
    {
        var charge = context.Message;
        var gateway = gateways.For(charge);
        var attempt = new ChargeAttempt(charge.PaymentId, gateway.Name, charge.MerchantReference, context.Saga.AccountId, clock.GetUtcNow())
        {
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        };

        switch (await ledger.TryBeginAsync(attempt, context.CancellationToken))
        {
            case ChargeAttemptStart.AlreadyAttempted:
                logger.LogWarning("Payment {PaymentId}: a charge was already sent; inquiring instead of charging again", charge.PaymentId);
                return ChargeResult.Unknown("already-attempted", "A charge was already sent for this payment; its outcome is settled by inquiry.");
            case ChargeAttemptStart.ReferenceInUse:
                return new ChargeResult
                {
                    Kind = ChargeResultKind.Declined,
                    ResponseCode = "duplicate_reference",
                    ResponseMessage = $"MerchantReference '{charge.MerchantReference}' is already used by another payment at {gateway.Name}",
                };
        }

        try
        {
            return await gateway.ChargeAsync(charge, context.CancellationToken);
        }
        catch (GatewayUnavailableException ex)
        {
            // The request never left, so releasing the attempt cannot lead to a double charge.
            await ledger.ReleaseAsync(charge.PaymentId, CancellationToken.None);
            if (context.GetRetryAttempt() < options.Value.RetryIntervals.Length)
                throw; // the endpoint's retry policy waits and redelivers: the saga waits rather than fails
            logger.LogError("Payment {PaymentId}: {Gateway} stayed unavailable; failing without a charge", charge.PaymentId, gateway.Name);
            return new ChargeResult { Kind = ChargeResultKind.Declined, ResponseCode = "gateway_unavailable", ResponseMessage = ex.Message };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            // Anything else may have happened after the request left: the outcome is unknown, inquiry settles it.
            logger.LogWarning("Payment {PaymentId}: charge outcome unknown ({Error})", charge.PaymentId, ex.GetType().Name);
            return ChargeResult.Unknown("error", ex.GetType().Name);
        }
    }

    public Task Faulted<TException>(BehaviorExceptionContext<PaymentState, ChargeRequested, TException> context,
        IBehavior<PaymentState, ChargeRequested> next) where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("submit-charge");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
