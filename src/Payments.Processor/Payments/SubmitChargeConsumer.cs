using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// Sends the one and only charge request for a payment, after the saga has saved it as Pending. The attempt is
/// recorded in the ledger (its own short transaction) before the request leaves, and the gateway's answer is kept with
/// it before the result is published. A redelivery (the publish or the ack was lost with a broker connection, or the
/// process stopped) finds the attempt: it waits for a charge of the same payment still at the gateway in this process,
/// then hands on the kept answer without asking the gateway again. Only when no answer was kept (the process stopped
/// between recording the attempt and keeping the answer) may the request have left unanswered: Singapay then gets it
/// again with the same reference (its SP004 duplicate check makes that safe); for Finpay the outcome is reported
/// unknown and settled by evidence, never by sending again.
/// No database transaction is open during the gateway call, and the result is published directly.
/// </summary>
public sealed partial class SubmitChargeConsumer(
    PaymentGatewayRouter gateways,
    IChargeAttemptLedger ledger,
    ChargesInFlight inFlight,
    CardCipher cipher,
    TimeProvider clock,
    IOptions<PaymentOptions> options,
    ILogger<SubmitChargeConsumer> logger) : IConsumer<SubmitCharge>
{
    public const string QueueName = "payments-charge";

    public async Task Consume(ConsumeContext<SubmitCharge> context)
    {
        var command = context.Message;
        var paymentId = command.PaymentId;
        ChargeRequested charge;
        try
        {
            charge = Unseal(command.Charge);
        }
        catch (CardDecryptionException ex)
        {
            await ReportUnreadableCard(context, ex.Message);
            return;
        }

        var gateway = gateways.Get(command.Gateway);
        var attempt = new ChargeAttempt(paymentId, gateway.Name, charge.MerchantReference, charge.AccountId, clock.GetUtcNow())
        {
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        };
        ChargeAttemptStart start;
        try
        {
            start = await ledger.TryBeginAsync(attempt, context.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && context.GetRetryAttempt() >= options.Value.RetryIntervals.Length)
        {
            // The request is sent only after the attempt is recorded, so no charge can have left.
            LogCannotStart(logger, paymentId, ex.GetType().Name);
            await context.Publish(new ChargeNotSent(paymentId, FailureCodes.ProcessingError,
                $"the charge could not be started ({ex.GetType().Name}); nothing was sent to {gateway.Name}"));
            return;
        }

        switch (start)
        {
            case ChargeAttemptStart.AlreadyAttempted when await AnswerOfEarlierDelivery(context) is { } answer:
                LogHandingOnKeptAnswer(logger, paymentId, gateway.Name, answer.Kind);
                await context.Publish(Outcome(paymentId, answer));
                return;
            case ChargeAttemptStart.AlreadyAttempted when !GuardsResentReferences(gateway.Name):
                await ReportAlreadyAttempted(context);
                return;
            case ChargeAttemptStart.AlreadyAttempted:
                // An earlier delivery stopped before its answer was kept (e.g. the process was killed): the request may
                // never have left. Sent again with the same reference_no, it either charges now or meets SP004 (outcome unknown).
                LogResendingGuarded(logger, paymentId, gateway.Name);
                break;
            case ChargeAttemptStart.ReferenceInUse:
                await context.Publish(new ChargeNotSent(paymentId, FailureCodes.DuplicateReference,
                    $"MerchantReference '{charge.MerchantReference}' is already used by another payment at {gateway.Name}"));
                return;
        }

        ChargeResult result;
        using (inFlight.Begin(paymentId))
        {
            try
            {
                // Not the message's token: a dropped broker connection cancels it, and the answer to a request already
                // sent would be lost with it. The gateway's own per-attempt timeout bounds the call.
                result = await gateway.ChargeAsync(charge, CancellationToken.None);
            }
            catch (GatewayUnavailableException ex)
            {
                // The request never left, so releasing the attempt cannot lead to a double charge.
                await ledger.ReleaseAsync(paymentId, CancellationToken.None);
                if (context.GetRetryAttempt() < options.Value.RetryIntervals.Length)
                    throw; // the endpoint's retry policy waits and redelivers: the payment waits in Pending
                LogStayedUnavailable(logger, paymentId, gateway.Name);
                await context.Publish(new ChargeNotSent(paymentId, FailureCodes.GatewayUnavailable, ex.Message));
                return;
            }
            catch (Exception ex)
            {
                // Anything else may have happened after the request left: the outcome is unknown.
                LogOutcomeUnknown(logger, paymentId, ex.GetType().Name);
                result = ChargeResult.Unknown("error", ex.GetType().Name);
            }

            if (IsNotProcessed(gateway.Name, result) && context.GetRetryAttempt() < options.Value.RetryIntervals.Length)
            {
                // Singapay said it did not process the request; a resend carries the same reference_no, which its SP004
                // duplicate check guards, so resending after a pause cannot charge twice (docs/outcomes.md).
                await ledger.ReleaseAsync(paymentId, CancellationToken.None);
                LogNotProcessed(logger, paymentId, gateway.Name, result.ResponseCode);
                throw new ChargeNotProcessedException(gateway.Name, result.ResponseCode);
            }

            await KeepAnswer(paymentId, result);
        }

        await context.Publish(Outcome(paymentId, result));
    }

    /// <summary>
    /// The answer an earlier delivery of this charge got from the gateway, once a charge of the same payment still at
    /// the gateway in this process has its answer; null when none was kept.
    /// </summary>
    private async Task<ChargeResult?> AnswerOfEarlierDelivery(ConsumeContext<SubmitCharge> context)
    {
        var paymentId = context.Message.PaymentId;
        await inFlight.WaitAsync(paymentId, context.CancellationToken);
        try
        {
            return await ledger.FindAnswerAsync(paymentId, context.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && context.GetRetryAttempt() >= options.Value.RetryIntervals.Length)
        {
            // Through every retry: as if none was kept, which only ever leads to a guarded resend or an unknown outcome.
            LogKeptAnswerUnreadable(logger, paymentId, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// Keeps the answer before it is published. If it can't be kept, it is still handed on now; only a redelivery after
    /// a lost publish would then not find it.
    /// </summary>
    private async Task KeepAnswer(Guid paymentId, ChargeResult result)
    {
        try
        {
            await ledger.RecordAnswerAsync(paymentId, result, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogAnswerNotKept(logger, paymentId, ex.GetType().Name);
        }
    }

    /// <summary>An earlier delivery may have charged: the outcome is unknown, and never settled by charging again.</summary>
    private async Task ReportAlreadyAttempted(ConsumeContext<SubmitCharge> context)
    {
        LogAlreadyAttempted(logger, context.Message.PaymentId);
        await context.Publish(new ChargeOutcomeUnknown(context.Message.PaymentId,
            ChargeResult.Unknown("already-attempted", "A charge was already sent for this payment; its outcome is settled by evidence.")));
    }

    /// <summary>
    /// The sealed card can't be opened (its key is gone, e.g. an ephemeral key of a process that stopped). Failed only
    /// if no attempt was ever recorded: a redelivery after a crash may follow a charge that did leave.
    /// </summary>
    private async Task ReportUnreadableCard(ConsumeContext<SubmitCharge> context, string problem)
    {
        var command = context.Message;
        var attempt = new ChargeAttempt(command.PaymentId, command.Gateway, command.Charge.MerchantReference, command.Charge.AccountId,
            clock.GetUtcNow());
        if (await ledger.TryBeginAsync(attempt, context.CancellationToken) == ChargeAttemptStart.AlreadyAttempted)
        {
            if (await AnswerOfEarlierDelivery(context) is { } answer)
                await context.Publish(Outcome(command.PaymentId, answer));
            else
                await ReportAlreadyAttempted(context);
            return;
        }
        await ledger.ReleaseAsync(command.PaymentId, CancellationToken.None);
        LogUnreadableCard(logger, command.PaymentId, problem);
        await context.Publish(new ChargeNotSent(command.PaymentId, FailureCodes.Validation, $"EncryptedCard: {problem}"));
    }

    /// <summary>
    /// An answer that says the charge was not processed and may be resent with the same reference: only Singapay's
    /// HTTP 503 (its reference_no is guarded by SP004). Finpay documents no such guard, so nothing of Finpay's qualifies.
    /// </summary>
    public static bool IsNotProcessed(string gateway, ChargeResult result) =>
        gateway == PaymentGateways.Singapay && result.Kind == ChargeResultKind.OutcomeUnknown
                                            && result.ResponseCode == SingapayServiceUnavailable;

    private const string SingapayServiceUnavailable = "HTTP 503";

    /// <summary>
    /// Singapay answers a second request with the same reference_no with SP004 instead of charging it, so a request
    /// whose fate is unknown can be sent again. Finpay documents no such guard.
    /// </summary>
    public static bool GuardsResentReferences(string gateway) => gateway == PaymentGateways.Singapay;

    private ChargeRequested Unseal(ChargeRequested charge) =>
        charge.EncryptedCard is { } sealedCard ? charge with { Card = cipher.Decrypt(sealedCard), EncryptedCard = null } : charge;

    private static object Outcome(Guid paymentId, ChargeResult result) => result.Kind switch
    {
        ChargeResultKind.Accepted => new ChargeAccepted(paymentId, result),
        ChargeResultKind.RedirectRequired => new ChargeRedirectRequired(paymentId, result),
        ChargeResultKind.Declined => new ChargeDeclined(paymentId, result),
        _ => new ChargeOutcomeUnknown(paymentId, result),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: the sealed card cannot be opened ({Problem}); nothing was sent")]
    private static partial void LogUnreadableCard(ILogger logger, Guid paymentId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: an earlier delivery may have sent the charge; sending it again with the same reference, which {Gateway} refuses as a duplicate if it arrived")]
    private static partial void LogResendingGuarded(ILogger logger, Guid paymentId, string gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: the charge was redelivered after {Gateway} answered {Kind}; handing on that answer, not asking again")]
    private static partial void LogHandingOnKeptAnswer(ILogger logger, Guid paymentId, string gateway, ChargeResultKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Payment {PaymentId}: the kept answer of an earlier delivery could not be read ({Error}) through every retry")]
    private static partial void LogKeptAnswerUnreadable(ILogger logger, Guid paymentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: the gateway's answer could not be kept ({Error}); handing it on all the same")]
    private static partial void LogAnswerNotKept(ILogger logger, Guid paymentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: a charge was already sent; its outcome is unknown, never charging again")]
    private static partial void LogAlreadyAttempted(ILogger logger, Guid paymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Payment {PaymentId}: {Gateway} stayed unavailable; failing without a charge")]
    private static partial void LogStayedUnavailable(ILogger logger, Guid paymentId, string gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: {Gateway} did not process the charge ({Code}); resending with the same reference after a pause")]
    private static partial void LogNotProcessed(ILogger logger, Guid paymentId, string gateway, string? code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Payment {PaymentId}: the charge attempt could not be recorded ({Error}) through every retry; failing without a charge")]
    private static partial void LogCannotStart(ILogger logger, Guid paymentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: charge outcome unknown ({Error})")]
    private static partial void LogOutcomeUnknown(ILogger logger, Guid paymentId, string error);
}

/// <summary>The gateway answered that it did not process the charge: the endpoint's retry resends it later.</summary>
public sealed class ChargeNotProcessedException : Exception
{
    public ChargeNotProcessedException()
    {
    }

    public ChargeNotProcessedException(string message) : base(message)
    {
    }

    public ChargeNotProcessedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ChargeNotProcessedException(string gateway, string? code) : base($"{gateway} did not process the charge ({code})")
    {
    }
}
