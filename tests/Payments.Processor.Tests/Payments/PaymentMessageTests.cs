using System.Reflection;
using MassTransit;
using Payments.Contracts;
using Payments.Processor.Payments;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>
/// Every message about a payment says which one through <see cref="IPaymentMessage"/>, so tracing needs no list of
/// message types: the public contracts, and every message the processor's saga and consumers take.
/// </summary>
public sealed class PaymentMessageTests
{
    public static TheoryData<string> MessagesWithAPaymentId() => new(WithAPaymentId().Select(type => type.FullName!));

    [Theory]
    [MemberData(nameof(MessagesWithAPaymentId))]
    public void Each_message_with_a_PaymentId_implements_IPaymentMessage(string typeName)
    {
        var type = WithAPaymentId().Single(t => t.FullName == typeName);

        Assert.True(typeof(IPaymentMessage).IsAssignableFrom(type), $"{type.Name} has a PaymentId but does not implement IPaymentMessage");
    }

    [Fact]
    public void The_check_sees_refunds_and_the_processors_internal_messages()
    {
        var checkedTypes = WithAPaymentId().ToHashSet();

        foreach (var type in new[]
                 {
                     typeof(ChargeRequested), typeof(RefundPayment), typeof(VoidPayment), typeof(PaymentRefunded), typeof(PaymentVoided),
                     typeof(PaymentRefundFailed), typeof(PaymentStatusChanged), typeof(PaymentCompleted), typeof(PaymentRedirectRequired),
                     typeof(SubmitCharge), typeof(SubmitCancel), typeof(GatewayCancelReported), typeof(ChargeNotSent), typeof(ResolvePayment),
                     typeof(InquiryDue), typeof(RedirectWindowExpired), typeof(CancelPayment),
                 })
            Assert.Contains(type, checkedTypes);
    }

    [Fact]
    public void A_message_that_names_its_gateway_or_status_says_so_through_the_interface()
    {
        var id = Guid.NewGuid();
        var messages = new IPaymentMessage[]
        {
            new ChargeRequested { PaymentId = id, StoredCard = new StoredCard { Token = "t" } },
            new ChargeRequested { PaymentId = id, EncryptedCard = new EncryptedCard() },
            new ChargeRequested { PaymentId = id },
            new PaymentRedirectRequired { PaymentId = id },
            new PaymentCompleted { PaymentId = id, Gateway = PaymentGateways.Finpay, Status = PaymentStatuses.Failed },
            new SubmitCancel(id, PaymentGateways.Singapay, new Gateways.GatewayPaymentReference("ref-1", null, null), RefundKinds.Refund),
            new RefundPayment { PaymentId = id },
        };

        Assert.All(messages, message => Assert.Equal(id, message.PaymentId));
        Assert.Equal([PaymentGateways.Finpay, PaymentGateways.Singapay, null, null, PaymentGateways.Finpay, PaymentGateways.Singapay, null],
            messages.Select(m => (m as IPaymentGatewayMessage)?.Gateway));
        Assert.Equal([null, null, null, PaymentStatuses.Redirect, PaymentStatuses.Failed, null, null],
            messages.Select(m => (m as IPaymentStatusMessage)?.Status));
    }

    private static IEnumerable<Type> WithAPaymentId() => ContractTypes().Concat(ProcessorMessageTypes())
        .Where(type => type.GetProperty(nameof(IPaymentMessage.PaymentId))?.PropertyType == typeof(Guid))
        .Distinct();

    private static IEnumerable<Type> ContractTypes() => typeof(IPaymentMessage).Assembly.GetExportedTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && !typeof(Exception).IsAssignableFrom(type));

    /// <summary>What the processor's bus carries to it: the saga's events and scheduled messages, and each consumer's message.</summary>
    private static IEnumerable<Type> ProcessorMessageTypes()
    {
        var sagaEvents = typeof(PaymentStateMachine).GetProperties()
            .Where(p => p.PropertyType.IsGenericType
                && (p.PropertyType.GetGenericTypeDefinition() == typeof(Event<>) || p.PropertyType.GetGenericTypeDefinition() == typeof(Schedule<,>)))
            .Select(p => p.PropertyType.GetGenericArguments()[^1]);
        var consumed = typeof(PaymentStateMachine).Assembly.GetTypes()
            .SelectMany(type => type.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0]);
        return sagaEvents.Concat(consumed).Where(type => !type.IsGenericParameter);
    }
}
