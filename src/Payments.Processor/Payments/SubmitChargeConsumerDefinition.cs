using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;

namespace Payments.Processor.Payments;

/// <summary>
/// The charge endpoint: no outbox and no saga transaction around the gateway call. A gateway that refuses the
/// connection (or whose circuit is open) is retried after each of <see cref="PaymentOptions.RetryIntervals"/>.
/// </summary>
public sealed class SubmitChargeConsumerDefinition : ConsumerDefinition<SubmitChargeConsumer>
{
    private readonly PaymentOptions _options;

    public SubmitChargeConsumerDefinition(IOptions<PaymentOptions> options)
    {
        _options = options.Value;
        EndpointName = SubmitChargeConsumer.QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SubmitChargeConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (_options.ChargeConcurrency < 1)
            throw new InvalidSettingException("Payments:ChargeConcurrency", $"'{_options.ChargeConcurrency}' must be at least 1");
        endpointConfigurator.ConcurrentMessageLimit = _options.ChargeConcurrency;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.PrefetchCount = _options.ChargeConcurrency;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(_options.RetryIntervals));
        // A Fault<SubmitCharge> would copy the sealed card to whoever listens: nobody needs it.
        endpointConfigurator.PublishFaults = false;
    }
}
