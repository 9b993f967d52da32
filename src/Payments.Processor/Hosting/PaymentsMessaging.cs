using MassTransit;
using Payments.Processor.Payments;

namespace Payments.Processor.Hosting;

/// <summary>The bus: the payment saga and its gateway consumers, on the transport and store the settings choose.</summary>
public static class PaymentsMessaging
{
    public static IServiceCollection AddPaymentsMessaging(this IServiceCollection services, ProcessorSettings settings)
    {
        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.AddPaymentsSagaAndConsumers();
            x.UsingInMemory((context, cfg) =>
            {
                ConfigureBus(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    public static void AddPaymentsSagaAndConsumers(this IBusRegistrationConfigurator x)
    {
        x.SetKebabCaseEndpointNameFormatter();
        x.AddSagaStateMachine<PaymentStateMachine, PaymentState, PaymentStateMachineDefinition>()
            .InMemoryRepository();
        x.AddConsumer<InquirePaymentStatusConsumer, GatewayConsumerDefinition<InquirePaymentStatusConsumer>>();
        x.AddConsumer<CancelPaymentConsumer, GatewayConsumerDefinition<CancelPaymentConsumer>>();
    }

    public static void ConfigureBus(IBusRegistrationContext context, IBusFactoryConfigurator cfg)
    {
        cfg.UseDelayedMessageScheduler();
    }

    /// <summary>Each endpoint's state changes and outgoing messages take effect together, or not at all.</summary>
    internal static void ConfigureTransactionalEndpoint(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.UseInMemoryOutbox(context);
    }
}

public sealed class GatewayConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
        PaymentsMessaging.ConfigureTransactionalEndpoint(endpoint, context);
    }
}
