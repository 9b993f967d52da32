using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Persistence.Outbox;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests;

[Trait("Category", "PostgreSQL")]
public sealed class InboxCleanupTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private OutboxTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        _host = await OutboxTestHost.StartAsync(database, outbox => outbox.DuplicateDetectionWindow = TimeSpan.FromMinutes(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Removes_inbox_rows_delivered_before_the_duplicate_detection_window_only()
    {
        var now = _host.Clock.GetUtcNow().UtcDateTime;
        var expired = await AddInboxState(delivered: now.AddMinutes(-31));
        var recent = await AddInboxState(delivered: now.AddMinutes(-29));
        var undelivered = await AddInboxState(delivered: null);
        var cleanup = _host.Services.GetRequiredService<InboxCleanupService<TestDbContext>>();

        var removed = await cleanup.RemoveExpiredAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, removed);
        var remaining = await _host.Query(db => db.Set<InboxState>().Select(x => x.MessageId).ToListAsync());
        Assert.DoesNotContain(expired, remaining);
        Assert.Contains(recent, remaining);
        Assert.Contains(undelivered, remaining);
    }

    [Fact]
    public async Task A_message_redelivered_after_its_inbox_row_was_removed_is_consumed_again()
    {
        var sagaId = await _host.StartSaga("ref-cleanup");
        var messageId = NewId.NextGuid();
        await _host.Send(new IncrementTestSaga(sagaId, 2), messageId);
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId), "the increment was announced");

        await _host.Harness.InactivityTask;

        _host.Clock.Advance(TimeSpan.FromMinutes(31));
        await _host.Services.GetRequiredService<InboxCleanupService<TestDbContext>>().RemoveExpiredAsync(TestContext.Current.CancellationToken);
        Assert.False(await _host.Query(db => db.Set<InboxState>().AnyAsync(x => x.MessageId == messageId)));

        await _host.Send(new IncrementTestSaga(sagaId, 2), messageId);

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId && x.Counter == 4),
            "the redelivered increment was applied again");
    }

    private async Task<Guid> AddInboxState(DateTime? delivered)
    {
        var messageId = NewId.NextGuid();
        await _host.Query(async db =>
        {
            db.Add(new InboxState
            {
                MessageId = messageId,
                ConsumerId = NewId.NextGuid(),
                Received = (delivered ?? _host.Clock.GetUtcNow().UtcDateTime).AddSeconds(-1),
                ReceiveCount = 1,
                Consumed = delivered ?? _host.Clock.GetUtcNow().UtcDateTime,
                Delivered = delivered
            });
            return await db.SaveChangesAsync();
        });
        return messageId;
    }
}
