using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// The life of a payment (docs/state-machine.md). The payment is saved as Pending before its charge is sent
/// (<see cref="SubmitCharge"/>, through the outbox); the charge step's answer comes back as one event per arrow.
/// After that only gateway reports (inquiry polls and verified callbacks, both <see cref="GatewayStatusReported"/>)
/// and ops (<see cref="ResolvePayment"/>) move the payment on. Nothing fails a payment on the absence of evidence.
/// </summary>
public sealed partial class PaymentStateMachine : MassTransitStateMachine<PaymentState>
{
    public State Pending { get; private set; } = null!;
    public State Redirect { get; private set; } = null!;
    public State Processing { get; private set; } = null!;
    public State Succeeded { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Refunding { get; private set; } = null!;
    public State Refunded { get; private set; } = null!;
    public State Voided { get; private set; } = null!;

    public Event<ChargeRequested> ChargeRequested { get; private set; } = null!;
    public Event<ChargeAccepted> ChargeAccepted { get; private set; } = null!;
    public Event<ChargeRedirectRequired> ChargeRedirectRequired { get; private set; } = null!;
    public Event<ChargeDeclined> ChargeDeclined { get; private set; } = null!;
    public Event<ChargeOutcomeUnknown> ChargeOutcomeUnknown { get; private set; } = null!;
    public Event<ChargeNotSent> ChargeNotSent { get; private set; } = null!;
    public Event<GatewayStatusReported> StatusReported { get; private set; } = null!;
    public Event<ResolvePayment> ResolveRequested { get; private set; } = null!;
    public Event<RefundPayment> RefundRequested { get; private set; } = null!;
    public Event<VoidPayment> VoidRequested { get; private set; } = null!;
    public Event<GatewayCancelReported> CancelReported { get; private set; } = null!;

    public Schedule<PaymentState, InquiryDue> InquiryPoll { get; private set; } = null!;
    public Schedule<PaymentState, RedirectWindowExpired> RedirectExpiry { get; private set; } = null!;

    // The endpoints' exchanges, not their queues: a "queue:" address would declare the queue with no arguments, which
    // RabbitMQ refuses for a quorum queue (RabbitMq:QueueType). The processor has declared both before it sends.
    private static readonly Uri ChargeQueue = new($"exchange:{SubmitChargeConsumer.QueueName}");
    private static readonly Uri CancelQueue = new($"exchange:{KebabCaseEndpointNameFormatter.Instance.Consumer<SubmitCancelConsumer>()}");

    public PaymentStateMachine(TimeProvider clock, IOptions<PaymentOptions> options, CardCipher cipher, PaymentGatewayRouter gateways,
        ILogger<PaymentStateMachine> logger)
    {
        var settings = options.Value;
        DateTimeOffset Now() => clock.GetUtcNow();

        InstanceState(x => x.CurrentState);

        Event(() => ChargeRequested, e => e.CorrelateById(m => m.Message.PaymentId));
        // The charge step starts only after Pending is saved, so these always find their payment; a report or an ops
        // request for a payment that does not exist is about nothing we know: noted in the log and dropped.
        Event(() => ChargeAccepted, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => ChargeRedirectRequired, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => ChargeDeclined, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => ChargeOutcomeUnknown, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => ChargeNotSent, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => StatusReported, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => ResolveRequested, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => RefundRequested, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => VoidRequested, e => CorrelateToExisting(e, m => m.PaymentId));
        Event(() => CancelReported, e => CorrelateToExisting(e, m => m.PaymentId));
        Schedule(() => InquiryPoll, x => x.InquiryPollTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.PaymentId));
        Schedule(() => RedirectExpiry, x => x.RedirectExpiryTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.PaymentId));

        Initially(
            When(ChargeRequested)
                .Then(ctx => ctx.Saga.Accept(ctx.Message, cipher, Now()))
                .IfElse(ctx => ctx.Saga.FailedValidation(),
                    invalid => invalid.Then(ctx => Record(ctx, Failed, ctx.Saga.AcceptedCause())).TransitionTo(Failed),
                    valid => valid.Then(ctx => Record(ctx, Pending, ctx.Saga.AcceptedCause())).TransitionTo(Pending)
                        .Send(ChargeQueue, ctx => ctx.Saga.ToSubmitCharge(ctx.Message, cipher))));

        During(Pending,
            When(ChargeAccepted)
                .Then(ctx => Record(ctx, Processing, ctx.Saga.ApplyCharge(ctx.Message.Result, Now())))
                .TransitionTo(Processing),
            When(ChargeRedirectRequired)
                .Then(ctx => Record(ctx, Redirect, ctx.Saga.ApplyCharge(ctx.Message.Result, Now())))
                .TransitionTo(Redirect),
            When(ChargeDeclined)
                .Then(ctx => Record(ctx, Failed, ctx.Saga.ApplyCharge(ctx.Message.Result, Now())))
                .TransitionTo(Failed),
            When(ChargeNotSent)
                .Then(ctx => Record(ctx, Failed, ctx.Saga.ApplyNotSent(ctx.Message, Now())))
                .TransitionTo(Failed),
            When(ChargeOutcomeUnknown)
                .Then(ctx => ctx.Saga.RecordNote(ctx.Saga.ApplyCharge(ctx.Message.Result, Now()), Now()))
                .IfElse(ctx => CanInquire(ctx.Saga),
                    inquire => PollFromNow(inquire),
                    blind => blind.Then(ctx => ctx.Saga.RecordNote(ctx.Saga.FlagForReconciliation(
                        $"{ctx.Saga.Gateway} can only be asked by its transaction id, and none is known yet"), Now()))),
            // The charge's answer was lost, and with it the 3DS page: the customer cannot finish in time. The gateway
            // says the payment waits for 3DS, so failing and voiding it leaves no charge behind.
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.Pending
                                      && r.Saga.OutcomeUnknownSince + settings.ThreeDsWindow <= Now())
                .Then(ctx => Record(ctx, Failed, ctx.Saga.FailThreeDsNotCompleted(ctx.Message)))
                .Publish(ctx => Cancel(ctx.Saga, "3DS not completed"))
                .TransitionTo(Failed),
            Ignore(RedirectExpiry.Received));

        During(Pending, Redirect, Processing,
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.Succeeded)
                .Then(ctx => Record(ctx, Succeeded, ctx.Saga.ApplyReport(ctx.Message)))
                .TransitionTo(Succeeded),
            When(StatusReported, r => r.Message.Status is GatewayPaymentStatus.Failed or GatewayPaymentStatus.Cancelled)
                .Then(ctx => Record(ctx, Failed, ctx.Saga.ApplyReport(ctx.Message)))
                .TransitionTo(Failed),
            // The gateway cannot find it: that is no evidence the card was not charged (the charge may be in flight, or
            // the gateway may not be asked by our reference). Flag it, keep asking, never fail it for this.
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.NotFound && !r.Saga.NeedsReconciliation)
                .Then(ctx => ctx.Saga.RecordNote(ctx.Saga.FlagForReconciliation(
                    $"{ctx.Saga.Gateway} cannot find the charge ({ctx.Message.ResponseCode})"), Now())),
            When(InquiryPoll.Received)
                .Then(ctx => ctx.Saga.InquiryAttempts++)
                .If(ctx => CanInquire(ctx.Saga), inquire => inquire
                    .Publish(ctx => Inquiry(ctx.Saga, finalCheck: false))
                    .Schedule(InquiryPoll, ctx => new InquiryDue(ctx.Saga.CorrelationId),
                        ctx => (Now() + settings.NextPollDelay(ctx.Saga.InquiryAttempts)).UtcDateTime)),
            When(ResolveRequested, r => r.Message.Outcome == PaymentStatuses.Succeeded)
                .Then(ctx => Record(ctx, Succeeded, ctx.Saga.ResolveByOps(ctx.Message)))
                .TransitionTo(Succeeded),
            When(ResolveRequested, r => r.Message.Outcome == PaymentStatuses.Failed)
                .Then(ctx => Record(ctx, Failed, ctx.Saga.ResolveByOps(ctx.Message)))
                .TransitionTo(Failed),
            When(ResolveRequested, r => r.Message.Outcome is null && r.Message.GatewayTransactionId is { Length: > 0 })
                .Then(ctx => ctx.Saga.RecordNote(ctx.Saga.LearnTransactionIdFromOps(ctx.Message), Now()))
                .Publish(ctx => Inquiry(ctx.Saga, finalCheck: false))
                .Unschedule(InquiryPoll)
                .Then(ctx => ctx.Saga.InquiryAttempts = 0)
                .Schedule(InquiryPoll, ctx => new InquiryDue(ctx.Saga.CorrelationId),
                    ctx => (Now() + settings.NextPollDelay(0)).UtcDateTime),
            When(ChargeRequested)
                .Then(ctx => ctx.Saga.RecordDuplicate(Now())));

        During(Pending, Redirect,
            When(StatusReported, r => r.Message.Status == GatewayPaymentStatus.Processing)
                .Then(ctx => Record(ctx, Processing, ctx.Saga.ApplyReport(ctx.Message)))
                .TransitionTo(Processing));

        During(Redirect,
            When(RedirectExpiry.Received)
                .Publish(ctx => Inquiry(ctx.Saga, finalCheck: true)),
            // The last inquiry after the 3DS window: the gateway says the customer never finished, so fail and void.
            When(StatusReported, r => r.Message.FinalCheck && r.Message.Status == GatewayPaymentStatus.Pending)
                .Then(ctx => Record(ctx, Failed, ctx.Saga.FailThreeDsNotCompleted(ctx.Message)))
                .Publish(ctx => Cancel(ctx.Saga, "3DS not completed"))
                .TransitionTo(Failed),
            // It could not say: no failure on the absence of evidence; ops look, polls go on.
            When(StatusReported, r => r.Message.FinalCheck && r.Message.Status == GatewayPaymentStatus.Unknown)
                .Then(ctx => ctx.Saga.RecordNote(ctx.Saga.FlagForReconciliation(
                    $"the 3DS window closed and the last inquiry could not tell ({ctx.Message.ResponseCode})"), Now())));

        During(Processing,
            Ignore(RedirectExpiry.Received));

        // A refund of a succeeded payment, or a refund or void of one the gateway has not settled (it then voids it).
        During(Succeeded,
            When(RefundRequested, r => Accepts(r.Saga, RefundKinds.Refund, r.Message.Reason, r.Message.IdempotencyKey))
                .Then(ctx => Record(ctx, Refunding, ctx.Saga.AcceptRefund(RefundKinds.Refund, ctx.Message.Reason, ctx.Message.IdempotencyKey.Trim(), Now())))
                .TransitionTo(Refunding));

        During(Processing,
            When(RefundRequested, r => Accepts(r.Saga, RefundKinds.Refund, r.Message.Reason, r.Message.IdempotencyKey))
                .Then(ctx => Record(ctx, Refunding, ctx.Saga.AcceptRefund(RefundKinds.Refund, ctx.Message.Reason, ctx.Message.IdempotencyKey.Trim(), Now())))
                .TransitionTo(Refunding),
            When(VoidRequested, r => Accepts(r.Saga, RefundKinds.Void, r.Message.Reason, r.Message.IdempotencyKey))
                .Then(ctx => Record(ctx, Refunding, ctx.Saga.AcceptRefund(RefundKinds.Void, ctx.Message.Reason, ctx.Message.IdempotencyKey.Trim(), Now())))
                .TransitionTo(Refunding));

        // Everything else is noted; a refusal is published with its reason, a repeat of the same key only noted.
        DuringAny(
            NotAccepted(When(RefundRequested, r => !Accepts(r.Saga, RefundKinds.Refund, r.Message.Reason, r.Message.IdempotencyKey)),
                RefundKinds.Refund, m => m.Reason, m => m.IdempotencyKey),
            NotAccepted(When(VoidRequested, r => !Accepts(r.Saga, RefundKinds.Void, r.Message.Reason, r.Message.IdempotencyKey)),
                RefundKinds.Void, m => m.Reason, m => m.IdempotencyKey));

        // The gateway was asked to cancel, then asked how the payment stands: only its status moves the payment on.
        During(Refunding,
            When(CancelReported, r => r.Saga.CancelOutcomeOf(r.Message) == CancelOutcome.Refunded)
                .Then(ctx => Record(ctx, Refunded, ctx.Saga.ApplyCancelled(ctx.Message, Now())))
                .TransitionTo(Refunded),
            When(CancelReported, r => r.Saga.CancelOutcomeOf(r.Message) == CancelOutcome.Voided)
                .Then(ctx => Record(ctx, Voided, ctx.Saga.ApplyCancelled(ctx.Message, Now())))
                .TransitionTo(Voided),
            When(CancelReported, r => r.Saga.CancelOutcomeOf(r.Message) == CancelOutcome.NotCancelledSucceeded)
                .Then(ctx => RecordReturn(ctx, Succeeded, ctx.Saga.ApplyCancelRefused(ctx.Message)))
                .Publish(ctx => ctx.Saga.ToRefundFailed(Succeeded.Name, Now()))
                .TransitionTo(Succeeded),
            When(CancelReported, r => r.Saga.CancelOutcomeOf(r.Message) == CancelOutcome.NotCancelledProcessing)
                .Then(ctx => Record(ctx, Processing, ctx.Saga.ApplyCancelRefused(ctx.Message)))
                .Publish(ctx => ctx.Saga.ToRefundFailed(Processing.Name, Now()))
                .TransitionTo(Processing),
            When(CancelReported, r => r.Saga.CancelOutcomeOf(r.Message) == CancelOutcome.ChargeFailed)
                .Then(ctx => Record(ctx, Failed, ctx.Saga.ApplyChargeFailedBeforeVoid(ctx.Message)))
                .Publish(ctx => ctx.Saga.ToRefundFailed(Failed.Name, Now()))
                .TransitionTo(Failed),
            // Not confirmed either way: the cancel is sent again later, which is safe, as a gateway cancels a payment once.
            When(CancelReported, r => r.Saga.CancelOutcomeOf(r.Message) == CancelOutcome.Unconfirmed)
                .Then(ctx => ctx.Saga.RecordNote(ctx.Saga.FlagCancelUnconfirmed(ctx.Message), Now()))
                .Schedule(InquiryPoll, ctx => new InquiryDue(ctx.Saga.CorrelationId),
                    ctx => (Now() + settings.NextPollDelay(ctx.Saga.InquiryAttempts)).UtcDateTime),
            When(InquiryPoll.Received)
                .Then(ctx => ctx.Saga.InquiryAttempts++)
                .Send(CancelQueue, ctx => ctx.Saga.ToSubmitCancel()),
            When(StatusReported)
                .Then(ctx => ctx.Saga.RecordNote(new TransitionCause(ctx.Message.Source,
                    $"report while {ctx.Saga.RefundKind} is in progress: {ctx.Message.Status} {ctx.Message.ResponseCode}"), Now())),
            When(ChargeRequested)
                .Then(ctx => ctx.Saga.RecordDuplicate(Now())),
            When(ResolveRequested)
                .Then(ctx => ctx.Saga.RecordNote(new TransitionCause(TransitionCauses.Ops,
                    $"resolve by {ctx.Message.Actor} ignored: a {ctx.Saga.RefundKind} is in progress"), Now())),
            Ignore(RedirectExpiry.Received));

        // A cancel answer the payment no longer waits for (a redelivery) changes nothing.
        During([Pending, Redirect, Processing, Succeeded, Failed, Refunded, Voided],
            Ignore(CancelReported));

        // A charge answer that a callback or ops already overtook changes nothing.
        During([Redirect, Processing, Succeeded, Failed, Refunding, Refunded, Voided],
            Ignore(ChargeAccepted),
            Ignore(ChargeRedirectRequired),
            Ignore(ChargeDeclined),
            Ignore(ChargeOutcomeUnknown),
            Ignore(ChargeNotSent));

        During(Succeeded, Failed, Refunded, Voided,
            When(StatusReported)
                .Then(ctx => ctx.Saga.RecordLateReport(ctx.Message, Now())),
            When(ChargeRequested)
                .Then(ctx => ctx.Saga.RecordDuplicate(Now())),
            When(ResolveRequested)
                .Then(ctx => ctx.Saga.RecordNote(new TransitionCause(TransitionCauses.Ops,
                    $"resolve by {ctx.Message.Actor} ignored: the payment is already {ctx.Saga.CurrentState}"), Now())),
            Ignore(InquiryPoll.Received),
            Ignore(RedirectExpiry.Received));

        BeforeEnterAny(state => state.If(ctx => ctx.Message != Initial, entering => entering
            .Then(ctx => ctx.Saga.StatusSequence++)
            .Publish(ctx => new PaymentStatusChanged
            {
                PaymentId = ctx.Saga.CorrelationId,
                MerchantReference = ctx.Saga.MerchantReference,
                Status = ctx.Message.Name,
                PreviousStatus = ctx.Saga.CurrentState is null or "" or "Initial" ? null : ctx.Saga.CurrentState,
                At = Now(),
                Sequence = ctx.Saga.StatusSequence,
            })));

        WhenEnter(Processing, PollFromEntry);
        WhenEnter(Redirect, redirect => PollFromEntry(redirect
            .Then(ctx => ctx.Saga.RedirectExpiresAt = Now() + settings.ThreeDsWindow)
            .Publish(ctx => new PaymentRedirectRequired
            {
                PaymentId = ctx.Saga.CorrelationId,
                MerchantReference = ctx.Saga.MerchantReference,
                RedirectHtml = ctx.Saga.RedirectHtml ?? "",
                // Our own page (it works whatever the gateway hands back); the gateway's plain URL only without a PublicUrl.
                PaymentUrl = settings.CustomerRedirectPage(ctx.Saga.CorrelationId) ?? ctx.Saga.PaymentUrl,
                ExpiresAt = ctx.Saga.RedirectExpiresAt!.Value,
            })
            .Schedule(RedirectExpiry, ctx => new RedirectWindowExpired(ctx.Saga.CorrelationId),
                ctx => ctx.Saga.RedirectExpiresAt!.Value.UtcDateTime)));

        WhenEnter(Succeeded, Complete);
        WhenEnter(Failed, Complete);

        WhenEnter(Refunding, refunding => refunding
            .Then(ctx => ctx.Saga.InquiryAttempts = 0)
            .Unschedule(InquiryPoll)
            .Unschedule(RedirectExpiry)
            .Send(CancelQueue, ctx => ctx.Saga.ToSubmitCancel()));
        WhenEnter(Refunded, refunded => refunded
            .Unschedule(InquiryPoll)
            .Publish(ctx => ctx.Saga.ToRefunded()));
        WhenEnter(Voided, voided => voided
            .Unschedule(InquiryPoll)
            .Publish(ctx => ctx.Saga.ToVoided()));

        void Record<T>(BehaviorContext<PaymentState, T> context, State to, TransitionCause cause) where T : class =>
            context.Saga.RecordTransition(to.Name, cause, Now());

        // Back to where a refused refund or void started: the payment completed when it first got there, not now.
        void RecordReturn<T>(BehaviorContext<PaymentState, T> context, State to, TransitionCause cause) where T : class
        {
            var completedAt = context.Saga.CompletedAt;
            context.Saga.RecordTransition(to.Name, cause, Now());
            context.Saga.CompletedAt = completedAt ?? context.Saga.CompletedAt;
        }

        bool Accepts(PaymentState payment, string kind, string reason, string idempotencyKey) =>
            payment.CheckRefund(kind, reason, idempotencyKey, gateways).Decision == RefundDecision.Accept;

        EventActivityBinder<PaymentState, T> NotAccepted<T>(EventActivityBinder<PaymentState, T> binder, string kind,
            Func<T, string> reason, Func<T, string> idempotencyKey) where T : class
        {
            RefundCheck Check(BehaviorContext<PaymentState, T> ctx) => ctx.Saga.CheckRefund(kind, reason(ctx.Message), idempotencyKey(ctx.Message), gateways);
            return binder
                .Then(ctx => ctx.Saga.RecordNote(ctx.Saga.NoteRefundNotAccepted(kind, Check(ctx)), Now()))
                .If(ctx => Check(ctx).Decision == RefundDecision.Refuse, refused => refused
                    .Publish(ctx => ctx.Saga.ToRefundRefused(kind, idempotencyKey(ctx.Message), Check(ctx), Now())));
        }

        EventActivityBinder<PaymentState, T> PollFromNow<T>(EventActivityBinder<PaymentState, T> binder) where T : class => binder
            .Then(ctx => ctx.Saga.InquiryAttempts = 0)
            .Schedule(InquiryPoll, ctx => new InquiryDue(ctx.Saga.CorrelationId),
                ctx => (Now() + settings.NextPollDelay(0)).UtcDateTime);

        EventActivityBinder<PaymentState> PollFromEntry(EventActivityBinder<PaymentState> binder) => binder
            .Then(ctx => ctx.Saga.InquiryAttempts = 0)
            .Schedule(InquiryPoll, ctx => new InquiryDue(ctx.Saga.CorrelationId),
                ctx => (Now() + settings.NextPollDelay(0)).UtcDateTime);

        EventActivityBinder<PaymentState> Complete(EventActivityBinder<PaymentState> binder) => binder
            .Then(ctx => ctx.Saga.NeedsReconciliation = false)
            .Unschedule(InquiryPoll)
            .Unschedule(RedirectExpiry)
            // A refused refund returns the payment to Succeeded: PaymentCompleted went out when it first got there.
            .If(ctx => ctx.Saga.RefundFrom != PaymentStatuses.Succeeded, first => first
                .Publish(ctx => ctx.Saga.ToCompleted()));

        void CorrelateToExisting<T>(IEventCorrelationConfigurator<PaymentState, T> e, Func<T, Guid> paymentId) where T : class
        {
            e.CorrelateById(m => paymentId(m.Message));
            e.OnMissingInstance(m => m.ExecuteAsync(ctx =>
            {
                var id = paymentId(ctx.Message);
                LogUnknownPayment(logger, typeof(T).Name, id);
                return Task.CompletedTask;
            }));
        }
    }

    /// <summary>
    /// Whether the gateway can be asked about this payment. Singapay's Inquiry Status takes only its own ids
    /// (transaction_id, provider_transaction_id, numeric id), never our reference; Finpay's status check takes order.id.
    /// </summary>
    public static bool CanInquire(PaymentState payment) =>
        payment.Gateway == PaymentGateways.Finpay || !string.IsNullOrEmpty(payment.GatewayTransactionId);

    private static InquirePaymentStatus Inquiry(PaymentState payment, bool finalCheck) =>
        new(payment.CorrelationId, payment.Gateway, payment.GatewayReference, finalCheck);

    private static CancelPayment Cancel(PaymentState payment, string reason) =>
        new(payment.CorrelationId, payment.Gateway, payment.GatewayReference, reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message} for payment {PaymentId}, which does not exist here: dropped")]
    private static partial void LogUnknownPayment(ILogger logger, string message, Guid paymentId);
}
