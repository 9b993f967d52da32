using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payments.Persistence.Scheduling;

namespace Payments.Persistence.Tests.Scheduling;

/// <summary>A MassTransit in-memory test harness with the durable scheduler on every endpoint and a manual clock.</summary>
public sealed class SchedulingTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private SchedulingTestHost(ServiceProvider provider, FakeTimeProvider clock)
    {
        _provider = provider;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _provider;

    public ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public Deliveries Deliveries => _provider.GetRequiredService<Deliveries>();

    public ScheduledMessageDispatcher Dispatcher => _provider.GetRequiredService<ScheduledMessageDispatcher>();

    /// <summary>Where a host's clock starts unless a test brings its own.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    public static async Task<SchedulingTestHost> StartAsync(
        Action<DurableSchedulingOptions> configureScheduling,
        FakeTimeProvider? clock = null,
        Action<IServiceCollection>? configureServices = null,
        Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        clock ??= new FakeTimeProvider(Start);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<Deliveries>();
        configureServices?.Invoke(services);

        services.AddDurableScheduling(options =>
        {
            options.RunDispatcher = false;
            options.PollInterval = TimeSpan.FromMilliseconds(50);
            configureScheduling(options);
        });

        services.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddDurableMessageScheduler();
            x.AddConsumer<PollProbeConsumer>().Endpoint(e => e.Name = PollProbeConsumer.EndpointName);
            configureBus?.Invoke(x);

            x.UsingInMemory((context, cfg) =>
            {
                cfg.UseDurableMessageScheduler(context);
                cfg.ConfigureEndpoints(context);
            });
        });

        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var host = new SchedulingTestHost(provider, clock);
        await host.Harness.Start();
        return host;
    }

    /// <summary>Schedules from outside any consumer, as an API endpoint would.</summary>
    public async Task<MassTransit.ScheduledMessage<T>> ScheduleOutsideConsumer<T>(Uri destination, DateTime dueAt, T message,
        Action<SendContext<T>>? configure = null)
        where T : class
    {
        await using AsyncServiceScope scope = _provider.CreateAsyncScope();
        IMessageScheduler scheduler = scope.ServiceProvider.GetRequiredService<IMessageScheduler>();
        return configure is null
            ? await scheduler.ScheduleSend(destination, dueAt, message, TestContextToken)
            : await scheduler.ScheduleSend(destination, dueAt, message, Pipe.Execute(configure), TestContextToken);
    }

    public async Task CancelOutsideConsumer(Uri destination, Guid tokenId)
    {
        await using AsyncServiceScope scope = _provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageScheduler>().CancelScheduledSend(destination, tokenId, TestContextToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    private static CancellationToken TestContextToken => Xunit.TestContext.Current.CancellationToken;
}
