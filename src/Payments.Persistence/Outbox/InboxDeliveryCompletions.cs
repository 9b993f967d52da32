using System.Data;
using System.Threading.Channels;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Persistence.Outbox;

/// <summary>
/// Finishes messages whose outgoing messages were delivered inline: marks their inbox rows delivered and removes their
/// outbox rows, for every message completed since the last batch, in one transaction. Under load that is one commit for
/// hundreds of messages instead of one each. A batch that fails is tried again; one lost with the process leaves rows
/// the relay finds after <see cref="EntityFrameworkOutboxOptions{TDbContext}.UndeliveredInboxDelay" /> and delivers again.
/// </summary>
public sealed partial class InboxDeliveryCompletions<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    /// <summary>Messages completed per transaction, at most.</summary>
    public const int BatchLimit = 500;

    private static readonly TimeSpan StopFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<InboxKey> _completed = Channel.CreateUnbounded<InboxKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly OutboxDeliveryServiceOptions _delivery;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly TimeProvider _timeProvider;

    public InboxDeliveryCompletions(IServiceScopeFactory scopeFactory, IOptions<OutboxDeliveryServiceOptions> delivery, TimeProvider timeProvider,
        ILogger<InboxDeliveryCompletions<TDbContext>> logger)
    {
        _scopeFactory = scopeFactory;
        _delivery = delivery.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    private long _batchesCommitted;

    /// <summary>Transactions this service has committed since it was created.</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batchesCommitted);

    public void Complete(Guid messageId, Guid consumerId) => _completed.Writer.TryWrite(new InboxKey(messageId, consumerId));

    /// <summary>Completes what is waiting now, in batches; returns how many messages were completed.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var completed = 0;
        var batch = new List<InboxKey>(BatchLimit);
        while (TakeBatch(batch))
        {
            await CompleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            completed += batch.Count;
        }

        return completed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<InboxKey>(BatchLimit);
        try
        {
            while (await _completed.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                TakeBatch(batch);
                await CompleteUntilDone(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await FlushOnStop(batch).ConfigureAwait(false);
    }

    private bool TakeBatch(List<InboxKey> batch)
    {
        batch.Clear();
        while (batch.Count < BatchLimit && _completed.Reader.TryRead(out var key))
            batch.Add(key);
        return batch.Count > 0;
    }

    private async Task CompleteUntilDone(List<InboxKey> batch, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await CompleteBatchAsync(batch, stoppingToken).ConfigureAwait(false);
                batch.Clear();
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCompletionFaulted(_logger, exception, batch.Count, _delivery.QueryDelay);
                await Task.Delay(_delivery.QueryDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One last try at what is left, so a clean stop leaves nothing for the relay to send again.</summary>
    private async Task FlushOnStop(List<InboxKey> unfinished)
    {
        using var timeout = new CancellationTokenSource(StopFlushTimeout);
        try
        {
            if (unfinished.Count > 0)
                await CompleteBatchAsync(unfinished, timeout.Token).ConfigureAwait(false);
            await FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogStopFlushFaulted(_logger, exception);
        }
    }

    private async Task CompleteBatchAsync(List<InboxKey> batch, CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var strategy = dbContext.Database.CreateExecutionStrategy();
        var now = _timeProvider.GetUtcNow().UtcDateTime;

        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await dbContext.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken)
                .ConfigureAwait(false);

            // One consumer at a time, in key order, so two batches never wait on each other's rows in a cycle.
            foreach (var consumer in batch.GroupBy(x => x.ConsumerId).OrderBy(x => x.Key))
            {
                var consumerId = consumer.Key;
                var messageIds = consumer.Select(x => x.MessageId).Distinct().Order().ToList();

                await dbContext.Set<OutboxMessage>()
                    .Where(x => x.InboxConsumerId == consumerId && x.InboxMessageId != null && messageIds.Contains(x.InboxMessageId.Value))
                    .ExecuteDeleteAsync(cancellationToken)
                    .ConfigureAwait(false);

                await dbContext.Set<InboxState>()
                    .Where(x => x.ConsumerId == consumerId && messageIds.Contains(x.MessageId) && x.Delivered == null)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(x => x.Delivered, now)
                        .SetProperty(x => x.RowVersion, x => x.RowVersion + 1), cancellationToken)
                    .ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }).ConfigureAwait(false);

        Interlocked.Increment(ref _batchesCommitted);
    }

    private readonly record struct InboxKey(Guid MessageId, Guid ConsumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completing {Count} delivered inbox messages faulted; retrying in {QueryDelay}")]
    private static partial void LogCompletionFaulted(ILogger logger, Exception exception, int count, TimeSpan queryDelay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completing delivered inbox messages at stop faulted; the relay will deliver them again")]
    private static partial void LogStopFlushFaulted(ILogger logger, Exception exception);
}
