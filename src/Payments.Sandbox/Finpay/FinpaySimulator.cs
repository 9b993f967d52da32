
namespace Payments.Sandbox.Finpay;

/// <summary>What the charge endpoint answers: a code, the recorded entry (null when nothing was recorded), and whether to hang first.</summary>
internal sealed record FinpayChargeAnswer(FinpayCode Code, FinpayLedgerEntry? Entry, bool HangFirst);

/// <summary>The simulated issuer: turns a valid charge into a ledger entry by its token's outcome, and sends the callback.</summary>
public sealed partial class FinpaySimulator(
    FinpayTokenVault vault,
    FinpayLedger ledger,
    FinpayCallbackSender callbacks,
    TimeProvider timeProvider,
    ILogger<FinpaySimulator> logger)
{
    internal FinpayChargeAnswer Charge(FinpayChargeRequest request, FinpayCallbackFaults callbackFaults)
    {
        var card = vault.Find(request.Token) is { } found && found.ServesCustomer(request.CustomerId) ? found : null;
        var outcome = card?.Outcome;
        var amountDecline = outcome == FinpayTokenOutcome.Success ? DeclineByAmount(request.Amount) : null;
        if (amountDecline is not null)
            outcome = FinpayTokenOutcome.Declined;
        var charged = outcome is FinpayTokenOutcome.Success or FinpayTokenOutcome.TimeoutThenSuccess or FinpayTokenOutcome.ErrorThenSuccess;
        var result = outcome switch
        {
            null => FinpayCode.InvalidCardToken,
            FinpayTokenOutcome.Declined => amountDecline ?? FinpayCode.DoNotHonor,
            FinpayTokenOutcome.InsufficientFunds => FinpayCode.InsufficientFunds,
            _ => FinpayCode.Success,
        };

        var entry = new FinpayLedgerEntry(
            request.OrderId,
            FinpayWireFormat.NewPaymentId(),
            request.CustomerId,
            request.Amount,
            request.Currency,
            charged ? FinpayStatus.Paid : FinpayStatus.Failed,
            result.Code,
            result.Message,
            charged ? FinpayWireFormat.Digits(6) : null,
            card?.CardMasked ?? "",
            timeProvider.GetUtcNow(),
            PaymentRequests: 0,
            CallbacksDelivered: 0,
            CallbacksFailed: 0);

        if (!ledger.TryAdd(entry))
        {
            LogDuplicateOrder(logger, request.OrderId);
            return new FinpayChargeAnswer(FinpayCode.DuplicateOrderId, null, HangFirst: false);
        }

        LogCharge(logger, entry.OrderId, entry.CardMasked, entry.Amount, entry.Status, entry.ResponseCode);
        callbacks.Send(entry, callbackFaults);

        return outcome switch
        {
            FinpayTokenOutcome.TimeoutThenSuccess => new FinpayChargeAnswer(FinpayCode.Timeout, entry, HangFirst: true),
            FinpayTokenOutcome.ErrorThenSuccess => new FinpayChargeAnswer(FinpayCode.Timeout, entry, HangFirst: false),
            _ => new FinpayChargeAnswer(result, entry, HangFirst: false),
        };
    }

    /// <summary>A success token declines when the amount's last two digits name a reason: 05, 51, 54 (ISO 8583, as on Singapay).</summary>
    private static FinpayCode? DeclineByAmount(long amount) => (amount % 100) switch
    {
        5 => FinpayCode.DoNotHonor,
        51 => FinpayCode.InsufficientFunds,
        54 => FinpayCode.ExpiredCard,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Finpay sandbox: order {OrderId} refused: order.id already used")]
    private static partial void LogDuplicateOrder(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finpay sandbox: charge {OrderId} {Card} {Amount} -> {Status} {Code}")]
    private static partial void LogCharge(ILogger logger, string orderId, string card, long amount, string status, string code);
}
