using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Persistence.Outbox;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests;

/// <summary>The registration a host uses, with the relay and the inbox cleanup running as hosted services.</summary>
[Trait("Category", "PostgreSQL")]
public sealed class HostedServicesTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private IHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDbContext<TestDbContext>(options => options.UseNpgsql(database.ConnectionString));
        builder.Services.AddSingleton<RaceGate>();
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddSingleton<TransactionProbe>();
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.AddEntityFrameworkOutbox<TestDbContext>(outbox =>
            {
                outbox.UsePostgres();
                outbox.UseBusOutbox();
                outbox.QueryDelay = TimeSpan.FromMilliseconds(200);
                outbox.DuplicateDetectionWindow = TimeSpan.Zero;
            });
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.UseSagaConcurrencyRetry();
                endpoint.UseEntityFrameworkOutbox<TestDbContext>(context);
            });
            x.AddSagaStateMachine<TestSagaStateMachine, TestSagaState>()
                .EntityFrameworkRepository(repository => repository.ExistingDbContext<TestDbContext>());
            x.AddConsumer<DeliveryLogConsumer>();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });

        _host = builder.Build();
        await _host.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    [Fact]
    public async Task The_relay_delivers_bus_outbox_messages_once_they_are_committed()
    {
        var id = NewId.NextGuid();
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>()
                .Publish(new BusOutboxMessage(id, 1), TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var deliveries = _host.Services.GetRequiredService<DeliveryLog>();
        await deliveries.WaitFor(log => log.Of<BusOutboxMessage>().Any(x => x.Id == id), "the relay delivered the message");
        await Eventually.Until(() => IsEmpty<OutboxMessage>(), "the relay removed the delivered row");
    }

    [Fact]
    public async Task The_inbox_cleanup_removes_rows_after_the_duplicate_detection_window()
    {
        var sagaId = NewId.NextGuid();
        var messageId = NewId.NextGuid();

        await _host.Services.GetRequiredService<IBus>().Publish(new StartTestSaga(sagaId, "ref-hosted"),
            context => context.MessageId = messageId, TestContext.Current.CancellationToken);

        var deliveries = _host.Services.GetRequiredService<DeliveryLog>();
        await deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), "the saga started");
        await Eventually.Until(async () =>
        {
            await using var scope = _host.Services.CreateAsyncScope();
            return !await scope.ServiceProvider.GetRequiredService<TestDbContext>().Set<InboxState>().AnyAsync(x => x.MessageId == messageId);
        }, "the cleanup removed the delivered inbox row");
    }

    private async Task<bool> IsEmpty<T>()
        where T : class
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return !await scope.ServiceProvider.GetRequiredService<TestDbContext>().Set<T>().AnyAsync();
    }
}
