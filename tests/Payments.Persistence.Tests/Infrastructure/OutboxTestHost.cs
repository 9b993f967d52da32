using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Persistence.Outbox;
using Payments.Persistence.Tests.TestSaga;

namespace Payments.Persistence.Tests.Infrastructure;

/// <summary>
/// The test saga and consumers on MassTransit's in-memory transport, with the EF saga repository, the
/// transactional outbox (every endpoint) and the bus outbox on the test class's PostgreSQL database.
/// The relay and inbox cleanup hosted services are off; tests drive them explicitly.
/// </summary>
public sealed class OutboxTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private OutboxTestHost(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _provider;

    public ManualTimeProvider Clock => (ManualTimeProvider)_provider.GetRequiredService<TimeProvider>();

    public RaceGate RaceGate => _provider.GetRequiredService<RaceGate>();

    public DeliveryLog Deliveries => _provider.GetRequiredService<DeliveryLog>();

    public BusOutboxDeliveryService<TestDbContext> Relay => _provider.GetRequiredService<BusOutboxDeliveryService<TestDbContext>>();

    public TransactionProbe TransactionProbe => _provider.GetRequiredService<TransactionProbe>();

    public CommitCounter Commits => _provider.GetRequiredService<CommitCounter>();

    public InboxDeliveryCompletions<TestDbContext> Completions => _provider.GetRequiredService<InboxDeliveryCompletions<TestDbContext>>();

    /// <param name="useOutbox">False leaves the endpoints without the transactional outbox (the saga repository alone).</param>
    /// <param name="sagaConcurrency">How the saga repository handles two messages for one instance.</param>
    public static async Task<OutboxTestHost> StartAsync(PostgresDatabase database, Action<IEntityFrameworkOutboxConfigurator>? configureOutbox = null,
        bool useOutbox = true, ConcurrencyMode sagaConcurrency = ConcurrencyMode.Optimistic)
    {
        var services = new ServiceCollection();

        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<CommitCounter>();
        services.AddDbContext<TestDbContext>((provider, options) =>
            options.UseNpgsql(database.ConnectionString).AddInterceptors(provider.GetRequiredService<CommitCounter>()));
        services.AddSingleton<TimeProvider>(new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero)));
        services.AddSingleton<RaceGate>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<TransactionProbe>();

        services.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();

            x.AddEntityFrameworkOutbox<TestDbContext>(outbox =>
            {
                outbox.UsePostgres();
                outbox.UseBusOutbox();
                outbox.DisableDeliveryService();
                outbox.DisableInboxCleanupService();
                configureOutbox?.Invoke(outbox);
            });

            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.ConcurrentMessageLimit = 16;
                endpoint.UseSagaConcurrencyRetry();
                if (useOutbox)
                    endpoint.UseEntityFrameworkOutbox<TestDbContext>(context);
            });

            x.AddSagaStateMachine<TestSagaStateMachine, TestSagaState>()
                .EntityFrameworkRepository(repository =>
                {
                    repository.ConcurrencyMode = sagaConcurrency;
                    repository.ExistingDbContext<TestDbContext>();
                });
            x.AddConsumer<LedgerConsumer>();
            x.AddConsumer<DeliveryLogConsumer>();
        });

        var provider = services.BuildServiceProvider(true);
        var host = new OutboxTestHost(provider);
        await host.Harness.Start();
        return host;
    }

    public async Task Send<T>(T message, Guid? messageId = null)
        where T : class
    {
        await Harness.Bus.Publish(message, context =>
        {
            if (messageId.HasValue)
                context.MessageId = messageId;
        });
    }

    /// <summary>
    /// Starts a test saga and waits until its TestSagaStarted was delivered and its row is committed (without the
    /// outbox the event goes out before the row is saved).
    /// </summary>
    public async Task<Guid> StartSaga(string reference, Guid? messageId = null)
    {
        var sagaId = NewId.NextGuid();
        await Send(new StartTestSaga(sagaId, reference), messageId);
        await Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), $"saga {reference} started");
        await Eventually.Until(() => Query(db => db.Sagas.AnyAsync(x => x.CorrelationId == sagaId)), $"saga {reference} was saved");
        return sagaId;
    }

    public async Task<TResult> Query<TResult>(Func<TestDbContext, Task<TResult>> query)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
