using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// The life of a payment (docs/state-machine.md). A charge is sent once; after that only gateway reports
/// (inquiry polls and verified callbacks, both as <see cref="GatewayStatusReported"/>) move the payment on.
/// </summary>
public sealed class PaymentStateMachine : MassTransitStateMachine<PaymentState>
{
    public State Pending { get; private set; } = null!;
    public State Redirect { get; private set; } = null!;
    public State Processing { get; private set; } = null!;
    public State Succeeded { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<ChargeRequested> ChargeRequested { get; private set; } = null!;
    public Event<GatewayStatusReported> StatusReported { get; private set; } = null!;

    public Schedule<PaymentState, InquiryDue> InquiryPoll { get; private set; } = null!;
    public Schedule<PaymentState, RedirectWindowExpired> RedirectExpiry { get; private set; } = null!;

    public PaymentStateMachine(TimeProvider clock, IOptions<PaymentOptions> options)
    {
        var settings = options.Value;
        DateTimeOffset Now() => clock.GetUtcNow();

        InstanceState(x => x.CurrentState);

        Event(() => ChargeRequested, e => e.CorrelateById(m => m.Message.PaymentId));
        // A callback can beat the saga's first save (success before the charge call returned): fault, so retry redelivers it.
        Event(() => StatusReported, e =>
        {
            e.CorrelateById(m => m.Message.PaymentId);
            e.OnMissingInstance(m => m.Fault());
        });
        Schedule(() => InquiryPoll, x => x.InquiryPollTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.PaymentId));
        Schedule(() => RedirectExpiry, x => x.RedirectExpiryTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.PaymentId));

        Initially(
            When(ChargeRequested)
                .Then(ctx => ctx.Saga.Accept(ctx.Message, Now()))
                .IfElse(ctx => ctx.Saga.FailedValidation(),
                    invalid => invalid.TransitionTo(Failed),
                    valid => SubmitCharge(valid.TransitionTo(Pending))));

        During(Pending, Redirect, Processing,
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.Succeeded)
                .Then(ctx => ctx.Saga.ApplyReport(ctx.Message))
                .TransitionTo(Succeeded),
            When(StatusReported, r => r.Message.Status is GatewayPaymentStatus.Failed or GatewayPaymentStatus.Cancelled)
                .Then(ctx => ctx.Saga.ApplyReport(ctx.Message))
                .TransitionTo(Failed),
            When(InquiryPoll.Received)
                .Then(ctx => ctx.Saga.InquiryAttempts++)
                .Publish(ctx => Inquiry(ctx.Saga, finalCheck: false))
                .Schedule(InquiryPoll, ctx => new InquiryDue(ctx.Saga.CorrelationId),
                    ctx => (Now() + settings.NextPollDelay(ctx.Saga.InquiryAttempts)).UtcDateTime),
            When(ChargeRequested)
                .Then(ctx => ctx.Saga.RecordDuplicate(Now())));

        During(Pending, Redirect,
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.Processing)
                .Then(ctx => ctx.Saga.ApplyReport(ctx.Message))
                .TransitionTo(Processing));

        During(Pending,
            // Never resend: a charge the gateway still cannot find after the window never arrived.
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.NotFound
                                      && r.Saga.OutcomeUnknownSince + settings.ChargeNotFoundWindow <= Now())
                .Then(ctx => ctx.Saga.FailChargeNotFound(ctx.Message))
                .TransitionTo(Failed),
            // The charge's answer was lost, and with it the 3DS page: the customer cannot finish in time.
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.Pending
                                      && r.Saga.OutcomeUnknownSince + settings.ThreeDsWindow <= Now())
                .Then(ctx => ctx.Saga.FailThreeDsNotCompleted(ctx.Message))
                .Publish(ctx => Cancel(ctx.Saga, "3DS not completed"))
                .TransitionTo(Failed),
            Ignore(RedirectExpiry.Received));

        During(Redirect,
            When(RedirectExpiry.Received)
                .Publish(ctx => Inquiry(ctx.Saga, finalCheck: true)),
            When(StatusReported, r => r.Message.FinalCheck && r.Message.Status is GatewayPaymentStatus.Pending
                                          or GatewayPaymentStatus.NotFound or GatewayPaymentStatus.Unknown)
                .Then(ctx => ctx.Saga.FailThreeDsNotCompleted(ctx.Message))
                .Publish(ctx => Cancel(ctx.Saga, "3DS not completed"))
                .TransitionTo(Failed));

        During(Processing,
            Ignore(RedirectExpiry.Received));

        During(Succeeded, Failed,
            When(StatusReported)
                .Then(ctx => ctx.Saga.RecordLateReport(ctx.Message, Now())),
            When(ChargeRequested)
                .Then(ctx => ctx.Saga.RecordDuplicate(Now())),
            Ignore(InquiryPoll.Received),
            Ignore(RedirectExpiry.Received));

        BeforeEnterAny(state => state.If(ctx => ctx.Message != Initial, entering => entering
            .Then(ctx => ctx.Saga.RecordTransition(FromName(ctx.Saga.CurrentState), ctx.Message.Name, Now()))
            .Publish(ctx => new PaymentStatusChanged
            {
                PaymentId = ctx.Saga.CorrelationId,
                MerchantReference = ctx.Saga.MerchantReference,
                Status = ctx.Message.Name,
                PreviousStatus = FromName(ctx.Saga.CurrentState),
                At = Now(),
            })));

        WhenEnter(Pending, PollFromNow);
        WhenEnter(Processing, PollFromNow);
        WhenEnter(Redirect, redirect => PollFromNow(redirect
            .Then(ctx => ctx.Saga.RedirectExpiresAt = Now() + settings.ThreeDsWindow)
            .Publish(ctx => new PaymentRedirectRequired
            {
                PaymentId = ctx.Saga.CorrelationId,
                MerchantReference = ctx.Saga.MerchantReference,
                RedirectHtml = ctx.Saga.RedirectHtml ?? "",
                PaymentUrl = ctx.Saga.PaymentUrl,
                ExpiresAt = ctx.Saga.RedirectExpiresAt!.Value,
            })
            .Schedule(RedirectExpiry, ctx => new RedirectWindowExpired(ctx.Saga.CorrelationId),
                ctx => ctx.Saga.RedirectExpiresAt!.Value.UtcDateTime)));

        WhenEnter(Succeeded, Complete);
        WhenEnter(Failed, Complete);

        EventActivityBinder<PaymentState, ChargeRequested> SubmitCharge(EventActivityBinder<PaymentState, ChargeRequested> binder) => binder
            .Activity(x => x.OfType<SubmitChargeActivity>())
            .If(ctx => ctx.Saga.LastChargeResult == ChargeResultKind.Accepted, accepted => accepted.TransitionTo(Processing))
            .If(ctx => ctx.Saga.LastChargeResult == ChargeResultKind.RedirectRequired, redirect => redirect.TransitionTo(Redirect))
            .If(ctx => ctx.Saga.LastChargeResult == ChargeResultKind.Declined, declined => declined.TransitionTo(Failed))
            .If(ctx => ctx.Saga.LastChargeResult == ChargeResultKind.OutcomeUnknown, unknown => unknown.Then(ctx => ctx.Saga.RecordNote(Now())));

        EventActivityBinder<PaymentState> PollFromNow(EventActivityBinder<PaymentState> binder) => binder
            .Then(ctx => ctx.Saga.InquiryAttempts = 0)
            .Schedule(InquiryPoll, ctx => new InquiryDue(ctx.Saga.CorrelationId),
                ctx => (Now() + settings.NextPollDelay(0)).UtcDateTime);

        EventActivityBinder<PaymentState> Complete(EventActivityBinder<PaymentState> binder) => binder
            .Unschedule(InquiryPoll)
            .Unschedule(RedirectExpiry)
            .Publish(ctx => ctx.Saga.ToCompleted());
    }

    private static string? FromName(string? state) => state is null or "" or "Initial" ? null : state;

    private static InquirePaymentStatus Inquiry(PaymentState payment, bool finalCheck) =>
        new(payment.CorrelationId, payment.Gateway, payment.GatewayReference, finalCheck);

    private static CancelPayment Cancel(PaymentState payment, string reason) =>
        new(payment.CorrelationId, payment.Gateway, payment.GatewayReference, reason);
}
