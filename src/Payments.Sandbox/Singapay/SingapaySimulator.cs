using Payments.Contracts;

namespace Payments.Sandbox.Singapay;

/// <summary>The simulated issuer and Singapay's transaction life: charge, settle, 3-D Secure, void and refund.</summary>
public sealed partial class SingapaySimulator(
    SingapayLedger ledger,
    SingapayCallbackSender callbacks,
    SingapaySimulationOptions simulation,
    TimeProvider timeProvider,
    ILogger<SingapaySimulator> logger)
{
    /// <summary>Records the charge (or returns null for a reused reference_no) and starts its life.</summary>
    internal SingapayLedgerEntry? Charge(string accountId, SingapayPaymentRequest payment, SingapayCallbackFaults callbackFaults)
    {
        var now = timeProvider.GetUtcNow();
        var scenario = SingapayTestCards.ScenarioFor(payment.CardNumber, payment.Amount);
        if (scenario is SingapayCardScenario.CallbackLost or SingapayCardScenario.SlowInquiry)
            callbackFaults = callbackFaults with { Drop = true };
        var transaction = new SingapayTransaction
        {
            ReferenceNo = payment.ReferenceNo ?? $"SP-{now:yyyyMMddHHmmss}-{SingapayWireFormat.NewAuthorizationNumber()}",
            TransactionId = SingapayWireFormat.NewTransactionId(now),
            ProviderTransactionId = SingapayWireFormat.NewProviderTransactionId(now),
            AccountId = accountId,
            Amount = payment.Amount,
            GoodsName = payment.GoodsName,
            CardMasked = CardMask.Mask(payment.CardNumber),
            Scenario = scenario,
            CreatedAt = now,
            CallbackFaults = callbackFaults,
            InstallmentMonths = payment.InstallmentMonths,
        };
        switch (scenario)
        {
            case SingapayCardScenario.ThreeDs:
                transaction.Status = SingapayStatus.Pending;
                break;
            case SingapayCardScenario.Declined:
                Fail(transaction, now, "05", "Do not honor");
                break;
            case SingapayCardScenario.InsufficientFunds:
                Fail(transaction, now, "51", "Insufficient funds");
                break;
            case SingapayCardScenario.ExpiredCard:
                Fail(transaction, now, "54", "Expired card");
                break;
            default:
                transaction.Status = SingapayStatus.Processing;
                transaction.ProviderAuthNo = SingapayWireFormat.NewAuthorizationNumber();
                transaction.ProviderResultCode = "0000";
                transaction.ProviderResultMessage = "Approved";
                transaction.SettleAt = now + simulation.SettleDelay;
                break;
        }

        var entry = ledger.TryAdd(transaction);
        if (entry is null)
            return null;
        LogCharge(logger, entry.ReferenceNo, entry.CardMasked, entry.Amount, entry.Status);

        if (entry.Status == SingapayStatus.Failed)
            callbacks.Send(entry, callbackFaults);
        else if (entry.Status == SingapayStatus.Processing)
            _ = SettleLaterAsync(entry.TransactionId, simulation.SettleDelay);
        return entry;
    }

    /// <summary>Settles a processing payment whose time has come; called by inquiries so they never see stale state.</summary>
    internal SingapayLedgerEntry? Refresh(string id)
    {
        var now = timeProvider.GetUtcNow();
        var entry = ledger.Update(id, t =>
        {
            if (t.Status != SingapayStatus.Processing || t.SettleAt is not { } settleAt || now < settleAt)
                return false;
            t.Status = SingapayStatus.Success;
            t.CompletedAt = now;
            return true;
        }, out var settled);
        if (settled)
            NotifyFinal(id);
        return entry;
    }

    /// <summary>The customer passed (or abandoned) 3-D Secure on the sandbox's page.</summary>
    internal SingapayLedgerEntry? CompleteThreeDs(string transactionId, bool confirmed, out bool changed)
    {
        var now = timeProvider.GetUtcNow();
        var entry = ledger.Update(transactionId, t =>
        {
            if (t.Status != SingapayStatus.Pending)
                return false;
            if (confirmed)
            {
                t.Status = SingapayStatus.Success;
                t.ProviderAuthNo = SingapayWireFormat.NewAuthorizationNumber();
                t.ProviderResultCode = "0000";
                t.ProviderResultMessage = "Approved";
                t.CompletedAt = now;
            }
            else
            {
                Fail(t, now, "3DS", "3-D Secure authentication cancelled by the cardholder");
            }
            return true;
        }, out changed);
        if (changed)
            NotifyFinal(transactionId);
        return entry;
    }

    /// <summary>
    /// Counts a wrong one-time password on a pending 3DS payment; the last allowed attempt fails it as the issuer would
    /// (and sends its callback). Returns the attempts left, 0 once it failed; null when the payment is unknown or not pending.
    /// </summary>
    internal int? RejectOtp(string transactionId, int allowedAttempts)
    {
        var now = timeProvider.GetUtcNow();
        int? left = null;
        ledger.Update(transactionId, t =>
        {
            if (t.Status != SingapayStatus.Pending)
                return false;
            t.WrongOtps++;
            left = Math.Max(0, allowedAttempts - t.WrongOtps);
            if (left > 0)
                return false;
            Fail(t, now, "3DS", "3-D Secure authentication failed: wrong one-time password");
            return true;
        }, out var failed);
        if (failed)
            NotifyFinal(transactionId);
        return left;
    }

    /// <summary>Voids a payment not yet successful, refunds a successful one; null when it can no longer be cancelled.</summary>
    internal SingapayLedgerEntry? Cancel(string id, out bool found)
    {
        Refresh(id);
        var now = timeProvider.GetUtcNow();
        var entry = ledger.Update(id, t =>
        {
            t.CancelRequests++;
            switch (t.Status)
            {
                case SingapayStatus.Pending or SingapayStatus.Processing:
                    t.Status = SingapayStatus.Cancelled;
                    t.CancelType = "void";
                    t.SettleAt = null;
                    return true;
                case SingapayStatus.Success:
                    t.Status = SingapayStatus.Refunded;
                    t.CancelType = "refund";
                    t.Refunds++;
                    return true;
                default:
                    return false;
            }
        }, out var cancelled);
        found = entry is not null;
        return cancelled ? entry : null;
    }

    private async Task SettleLaterAsync(string transactionId, TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, timeProvider);
            else
                await Task.Yield();
            Refresh(transactionId);
        }
        catch (Exception exception)
        {
            LogSettlingFailed(logger, exception, transactionId);
        }
    }

    private void NotifyFinal(string transactionId)
    {
        var faults = SingapayCallbackFaults.None;
        var entry = ledger.Update(transactionId, t => { faults = t.CallbackFaults; return false; }, out _);
        if (entry is not null)
            callbacks.Send(entry, faults);
    }

    private static void Fail(SingapayTransaction transaction, DateTimeOffset now, string code, string message)
    {
        transaction.Status = SingapayStatus.Failed;
        transaction.ProviderResultCode = code;
        transaction.ProviderResultMessage = message;
        transaction.FailedAt = now;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Singapay sandbox: charge {Reference} {Card} {Amount} -> {Status}")]
    private static partial void LogCharge(ILogger logger, string reference, string card, decimal amount, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Singapay sandbox: settling {TransactionId} failed")]
    private static partial void LogSettlingFailed(ILogger logger, Exception exception, string transactionId);
}
