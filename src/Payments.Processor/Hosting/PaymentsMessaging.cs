using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Contracts;
using Payments.Persistence.Scheduling;
using Payments.Processor.Payments;

namespace Payments.Processor.Hosting;

/// <summary>The bus: the payment saga and its gateway consumers, on the transport and store the settings choose.</summary>
public static class PaymentsMessaging
{
    public static IServiceCollection AddPaymentsMessaging(this IServiceCollection services, ProcessorSettings settings, PaymentStores stores)
    {
        stores.AddTo(services);
        if (settings.RabbitMq is { } broker)
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ErrorQueueDeclarations>(sp, broker)); // before the bus's
        // Start-up completes only once every queue and binding exists, so nothing sent right after is lost. No start
        // timeout: a broker that is down at start is waited for (MassTransit reconnects with backoff) instead of the
        // host exiting after a minute.
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = null;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.AddPaymentsBus(settings);
            if (settings.RabbitMq is { } rabbit)
            {
                if (rabbit.QuorumQueues)
                    x.AddConfigureEndpointsCallback((_, _, endpoint) => (endpoint as IRabbitMqReceiveEndpointConfigurator)?.SetQuorumQueue());
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                    });
                    cfg.PrefetchCount = rabbit.PrefetchCount;
                    ConfigureBus(context, cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    ConfigureBus(context, cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }

    /// <summary>Where payments, the ledger and scheduled messages are kept: the database, or process memory.</summary>
    public static IServiceCollection AddPaymentsStores(this IServiceCollection services, ProcessorSettings settings)
    {
        PaymentStores.For(settings).AddTo(services);
        return services;
    }

    public static void AddPaymentsBus(this IBusRegistrationConfigurator x, ProcessorSettings settings)
    {
        x.SetKebabCaseEndpointNameFormatter();
        x.TryAddSingleton(sp => CardCipherFactory.Create(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaymentOptions>>().Value.CardEncryption, settings.IsDurable));
        x.TryAddSingleton<ChargesInFlight>();
        var saga = x.AddSagaStateMachine<PaymentStateMachine, PaymentState, PaymentStateMachineDefinition>();
        x.AddConsumer<SubmitChargeConsumer, SubmitChargeConsumerDefinition>();
        x.AddConsumer<InquirePaymentStatusConsumer, GatewayConsumerDefinition<InquirePaymentStatusConsumer>>();
        x.AddConsumer<CancelPaymentConsumer, GatewayConsumerDefinition<CancelPaymentConsumer>>();
        x.AddConsumer<SubmitCancelConsumer, GatewayConsumerDefinition<SubmitCancelConsumer>>();
        x.AddDurableMessageScheduler();
        PaymentStores.For(settings).AddSagaRepository(x, saga);
    }

    public static void ConfigureBus(IBusRegistrationContext context, IBusFactoryConfigurator cfg)
    {
        cfg.UseDurableMessageScheduler(context);
        ExcludeMessageInterfacesFromTopology(cfg);
    }

    /// <summary>
    /// The interfaces every payment message implements are for reading messages, not for routing them: without this,
    /// MassTransit would declare an exchange for each and bind every message's exchange to it.
    /// </summary>
    public static void ExcludeMessageInterfacesFromTopology(IBusFactoryConfigurator cfg)
    {
        cfg.Publish<IPaymentMessage>(p => p.Exclude = true);
        cfg.Publish<IPaymentGatewayMessage>(p => p.Exclude = true);
        cfg.Publish<IPaymentStatusMessage>(p => p.Exclude = true);
    }

    /// <summary>
    /// Whatever fails or is skipped on this endpoint is kept in its _error/_skipped queue only as a scrubbed copy (no card
    /// number, CVV or expiry), and no Fault is generated: MassTransit's own pipes would move the original bytes.
    /// </summary>
    internal static void UseScrubbedErrorQueues(IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        UnprocessableCharges? charges = null)
    {
        endpoint.ConfigureError(error => error.UseFilter(
            new ScrubbedErrorTransportFilter(charges, context.GetRequiredService<ILogger<ScrubbedErrorTransportFilter>>())));
        endpoint.ConfigureDeadLetter(skipped => skipped.UseFilter(
            new ScrubbedDeadLetterFilter(context.GetRequiredService<ILogger<ScrubbedDeadLetterFilter>>())));
    }

    /// <summary>Each endpoint's state changes and outgoing messages take effect together, or not at all.</summary>
    internal static void ConfigureTransactionalEndpoint(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        context.GetRequiredService<PaymentStores>().ConfigureTransactionalEndpoint(endpoint, context);
}

public sealed class GatewayConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
        PaymentsMessaging.ConfigureTransactionalEndpoint(endpointConfigurator, context);
    }
}
