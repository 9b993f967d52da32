using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Processor.Payments;

namespace Payments.Processor.Hosting;

public sealed class PaymentStateMachineDefinition : SagaDefinition<PaymentState>
{
    public const string QueueName = PaymentsBus.ChargeRequestsQueue;

    private readonly PaymentOptions _options;

    public PaymentStateMachineDefinition(IOptions<PaymentOptions> options)
    {
        _options = options.Value;
        EndpointName = QueueName;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<PaymentState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(_options.RetryIntervals));
        // A faulted ChargeRequested would carry the card into a Fault<T> event: nobody needs it, so none is published.
        endpointConfigurator.PublishFaults = false;
        // After the last retry: end the payment, and keep only a copy without card data in payments_error/_skipped.
        PaymentsMessaging.UseScrubbedErrorQueues(endpointConfigurator, context, ActivatorUtilities.CreateInstance<UnprocessableCharges>(context));
        PaymentsMessaging.ConfigureTransactionalEndpoint(endpointConfigurator, context);
    }
}
