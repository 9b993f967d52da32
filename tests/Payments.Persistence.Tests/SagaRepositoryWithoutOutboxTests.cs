using MassTransit;
using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests;

/// <summary>The saga repository on endpoints without the transactional outbox.</summary>
[Trait("Category", "PostgreSQL")]
public sealed class SagaRepositoryWithoutOutboxTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private OutboxTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        _host = await OutboxTestHost.StartAsync(database, useOutbox: false);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Two_messages_racing_for_one_saga_instance_are_both_applied_without_holding_a_transaction()
    {
        var sagaId = await _host.StartSaga("ref-race-plain");

        _host.RaceGate.Expect(2);
        await Task.WhenAll(_host.Send(new IncrementTestSaga(sagaId, 2)), _host.Send(new IncrementTestSaga(sagaId, 20)));

        await Eventually.Until(() => _host.Query(db => db.Sagas.AnyAsync(x => x.CorrelationId == sagaId && x.Counter == 22)),
            "both increments were applied");
        Assert.Equal(3, _host.RaceGate.Arrivals);
        Assert.Equal(3, _host.TransactionProbe.InTransaction.Count);
        Assert.All(_host.TransactionProbe.InTransaction, Assert.False);
    }

    [Fact]
    public async Task Two_messages_creating_the_same_instance_at_once_end_with_one_instance()
    {
        var sagaId = NewId.NextGuid();

        _host.RaceGate.Expect(2);
        await Task.WhenAll(_host.Send(new StartTestSaga(sagaId, "ref-create-plain")), _host.Send(new StartTestSaga(sagaId, "ref-create-plain")));

        await Eventually.Until(() => _host.Query(db => db.Sagas.AnyAsync(x => x.CorrelationId == sagaId && x.Starts == 2)),
            "the second start was applied to the one instance");
        Assert.Equal(1, await _host.Query(db => db.Sagas.CountAsync(x => x.CorrelationId == sagaId)));
        Assert.False(await _host.Harness.Published.Any<Fault<StartTestSaga>>(TestContext.Current.CancellationToken));
    }
}
