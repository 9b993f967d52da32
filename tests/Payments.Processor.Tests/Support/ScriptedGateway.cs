using System.Collections.Concurrent;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Tests.Support;

/// <summary>
/// A gateway double for state machine tests: answers charges and inquiries from a script and counts every call,
/// so tests can prove a charge was sent once.
/// </summary>
public sealed class ScriptedGateway(string name = PaymentGateways.Singapay) : IPaymentGateway
{
    private readonly ConcurrentQueue<InquiryResult> _inquiries = new();
    private int _charges;
    private int _inquiryCalls;
    private int _cancels;

    public string Name { get; } = name;
    public Func<ChargeRequested, ChargeResult> OnCharge { get; set; } = _ => Accepted();
    public Func<ChargeRequested, Exception?> ThrowOnCharge { get; set; } = _ => null;
    /// <summary>Awaited after a charge is counted and before it is answered: a charge held at the gateway.</summary>
    public Func<ChargeRequested, Task>? HoldCharge { get; set; }
    /// <summary>The token each charge call was given.</summary>
    public ConcurrentBag<CancellationToken> ChargeTokens { get; } = [];
    public InquiryResult DefaultInquiry { get; set; } = new() { Status = GatewayPaymentStatus.Processing };
    public Func<GatewayPaymentReference, CancelResult> OnCancel { get; set; } = _ => new CancelResult { Cancelled = true, CancelType = "void" };
    /// <summary>Set to make the gateway refuse every refund and void up front, as Finpay does.</summary>
    public string? CannotCancelReason { get; set; }

    public int Charges => _charges;
    public int Inquiries => _inquiryCalls;
    public int Cancels => _cancels;
    public ConcurrentBag<ChargeRequested> Charged { get; } = [];

    public void QueueInquiry(InquiryResult result) => _inquiries.Enqueue(result);

    public async Task<ChargeResult> ChargeAsync(ChargeRequested charge, CancellationToken cancellationToken)
    {
        if (ThrowOnCharge(charge) is { } exception)
            throw exception;
        Interlocked.Increment(ref _charges);
        Charged.Add(charge);
        ChargeTokens.Add(cancellationToken);
        if (HoldCharge is { } hold)
            await hold(charge);
        return OnCharge(charge);
    }

    public Task<InquiryResult> InquireAsync(GatewayPaymentReference reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inquiryCalls);
        return Task.FromResult(_inquiries.TryDequeue(out var next) ? next : DefaultInquiry);
    }

    public Task<CancelResult> CancelAsync(GatewayPaymentReference reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _cancels);
        return Task.FromResult(OnCancel(reference));
    }

    public string? CannotCancel(GatewayPaymentReference reference) => CannotCancelReason;

    public static ChargeResult Accepted() => new()
    {
        Kind = ChargeResultKind.Accepted,
        GatewayTransactionId = "99TX",
        AuthorizationCode = "123456",
        CardMasked = "411111******1111",
        ResponseCode = "SP000",
    };

    public static ChargeResult Redirect() => new()
    {
        Kind = ChargeResultKind.RedirectRequired,
        GatewayTransactionId = "99TX3DS",
        RedirectHtml = "<html><form id=f action='http://sandbox/3ds'></form></html>",
        PaymentUrl = "<html>…</html>",
        ResponseCode = "SP000",
    };

    public static ChargeResult Declined() => new()
    {
        Kind = ChargeResultKind.Declined,
        ResponseCode = "SP001",
        ResponseMessage = "Payment declined by issuer",
        FailureCode = FailureCodes.CardDeclined,
    };
}
