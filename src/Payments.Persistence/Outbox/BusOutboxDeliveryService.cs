using System.Collections.Concurrent;
using System.Data;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Persistence.Dialects;

namespace Payments.Persistence.Outbox;

/// <summary>
/// The relay: delivers <see cref="OutboxMessage" /> rows that were committed but not delivered inline —
/// bus outbox scopes (messages written outside a consumer) and inbox messages whose process stopped between
/// commit and delivery. Each batch claims up to <see cref="OutboxDeliveryServiceOptions.QueryMessageLimit" />
/// scopes with a skip-locked read, sends their messages (scopes concurrently, each scope in order), deletes
/// what was sent and commits. Instances running side by side claim disjoint scopes, so no row is delivered twice
/// concurrently; a crash after sending and before commit redelivers that batch (at-least-once).
/// </summary>
public class BusOutboxDeliveryService<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    private readonly IBusControl _bus;
    private readonly OutboxDeliveryServiceOptions _delivery;
    private readonly ILogger _logger;
    private readonly IBusOutboxNotification _notification;
    private readonly EntityFrameworkOutboxOptions<TDbContext> _options;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly TimeProvider _timeProvider;
    private readonly System.Diagnostics.Metrics.Histogram<double> _lag;

    /// <summary>Meter "Payments", histogram of seconds from a message's write to the outbox to its send by the relay.</summary>
    public const string LagInstrumentName = "payments.outbox.lag";

    public BusOutboxDeliveryService(IBusControl bus, IServiceScopeFactory scopeFactory, IOptions<OutboxDeliveryServiceOptions> delivery,
        IOptions<EntityFrameworkOutboxOptions<TDbContext>> options, IBusOutboxNotification notification, TimeProvider timeProvider,
        ILogger<BusOutboxDeliveryService<TDbContext>> logger, System.Diagnostics.Metrics.IMeterFactory meters)
    {
        _lag = meters.Create(new System.Diagnostics.Metrics.MeterOptions("Payments")).CreateHistogram<double>(LagInstrumentName, unit: "s",
            description: "Time from an outgoing message's write to the outbox to its delivery by the relay");
        _bus = bus;
        _scopeFactory = scopeFactory;
        _delivery = delivery.Value;
        _options = options.Value;
        _notification = notification;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken).ConfigureAwait(false);

                if (await DeliverBatchAsync(stoppingToken).ConfigureAwait(false) > 0)
                    continue;

                await _notification.WaitForDelivery(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                OutboxLog.DeliveryFaulted(_logger, exception, _delivery.QueryDelay);
                await DelayAfterFault(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Claims and delivers one batch of bus outbox scopes and one of left-behind inbox messages.
    /// Returns how many messages reached the transport.
    /// </summary>
    public async Task<int> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        var delivered = await InScope(DeliverOutboxScopes, cancellationToken).ConfigureAwait(false);
        delivered += await InScope(DeliverUndeliveredInboxMessages, cancellationToken).ConfigureAwait(false);
        return delivered;
    }

    /// <summary>
    /// Runs one claim-send-delete step in its own scope and transaction. Database work gets the query timeout
    /// (second token); sends get their own per-message timeout under the caller's token (third).
    /// </summary>
    private async Task<int> InScope(Func<TDbContext, CancellationToken, CancellationToken, Task<int>> deliver, CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var strategy = dbContext.Database.CreateExecutionStrategy();

        return await strategy.ExecuteAsync(async () =>
        {
            dbContext.ChangeTracker.Clear();
            using var queryTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            queryTimeout.CancelAfter(_delivery.QueryTimeout);

            await using var transaction = await dbContext.Database.BeginAllOrNothingTransactionAsync(IsolationLevel.ReadCommitted, queryTimeout.Token)
                .ConfigureAwait(false);
            try
            {
                var delivered = await deliver(dbContext, queryTimeout.Token, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return delivered;
            }
            catch (Exception)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }).ConfigureAwait(false);
    }

    private async Task<int> DeliverOutboxScopes(TDbContext dbContext, CancellationToken queryToken, CancellationToken cancellationToken)
    {
        var statements = LockStatementProviders.For(dbContext, _options.LockStatementProvider);

        // Not composed further: some databases refuse a locking read inside a subquery.
        List<Guid> outboxIds = (await dbContext.Set<OutboxState>()
                .FromSqlRaw(statements.GetOutboxStateClaimStatement(dbContext), _delivery.QueryMessageLimit)
                .AsNoTracking()
                .ToListAsync(queryToken)
                .ConfigureAwait(false))
            .Select(x => x.OutboxId)
            .ToList();
        if (outboxIds.Count == 0)
            return 0;

        List<OutboxMessage> messages = await dbContext.Set<OutboxMessage>()
            .Where(x => x.OutboxId != null && outboxIds.Contains(x.OutboxId.Value))
            .OrderBy(x => x.SequenceNumber)
            .Take(_delivery.MessageDeliveryLimit)
            .AsNoTracking()
            .ToListAsync(queryToken)
            .ConfigureAwait(false);

        var handled = await SendInOrder(messages.GroupBy(x => x.OutboxId), cancellationToken).ConfigureAwait(false);

        await dbContext.Set<OutboxMessage>()
            .Where(x => handled.Contains(x.SequenceNumber))
            .ExecuteDeleteAsync(queryToken)
            .ConfigureAwait(false);

        // A scope is done when none of its messages is left (some may have failed, or not fit in this batch).
        await dbContext.Set<OutboxState>()
            .Where(state => outboxIds.Contains(state.OutboxId)
                && !dbContext.Set<OutboxMessage>().Any(x => x.OutboxId == state.OutboxId))
            .ExecuteDeleteAsync(queryToken)
            .ConfigureAwait(false);

        return handled.Count;
    }

    private async Task<int> DeliverUndeliveredInboxMessages(TDbContext dbContext, CancellationToken queryToken,
        CancellationToken cancellationToken)
    {
        var statements = LockStatementProviders.For(dbContext, _options.LockStatementProvider);
        var now = _timeProvider.GetUtcNow().UtcDateTime;

        List<InboxState> inboxStates = await dbContext.Set<InboxState>()
            .FromSqlRaw(statements.GetUndeliveredInboxStateClaimStatement(dbContext), now - _options.UndeliveredInboxDelay,
                _delivery.QueryMessageLimit)
            .AsTracking()
            .ToListAsync(queryToken)
            .ConfigureAwait(false);
        if (inboxStates.Count == 0)
            return 0;

        var claimed = inboxStates.Select(x => (x.MessageId, x.ConsumerId)).ToHashSet();
        var messageIds = inboxStates.Select(x => x.MessageId).Distinct().ToList();

        // The same message may have been consumed by consumers whose inbox rows were not claimed: keep only ours.
        List<OutboxMessage> messages = (await dbContext.Set<OutboxMessage>()
                .Where(x => x.InboxMessageId != null && messageIds.Contains(x.InboxMessageId.Value))
                .OrderBy(x => x.SequenceNumber)
                .Take(_delivery.MessageDeliveryLimit)
                .AsNoTracking()
                .ToListAsync(queryToken)
                .ConfigureAwait(false))
            .Where(x => claimed.Contains((x.InboxMessageId!.Value, x.InboxConsumerId ?? Guid.Empty)))
            .ToList();

        var handled = await SendInOrder(messages.GroupBy(x => (x.InboxMessageId, x.InboxConsumerId)), cancellationToken)
            .ConfigureAwait(false);

        await dbContext.Set<OutboxMessage>()
            .Where(x => handled.Contains(x.SequenceNumber))
            .ExecuteDeleteAsync(queryToken)
            .ConfigureAwait(false);

        var remaining = (await dbContext.Set<OutboxMessage>()
                .Where(x => x.InboxMessageId != null && messageIds.Contains(x.InboxMessageId.Value))
                .Select(x => new { MessageId = x.InboxMessageId!.Value, ConsumerId = x.InboxConsumerId ?? Guid.Empty })
                .Distinct()
                .ToListAsync(queryToken)
                .ConfigureAwait(false))
            .Select(x => (x.MessageId, x.ConsumerId))
            .ToHashSet();

        foreach (var inboxState in inboxStates.Where(x => !remaining.Contains((x.MessageId, x.ConsumerId))))
        {
            inboxState.Delivered = now;
            inboxState.LastSequenceNumber = messages.Where(x => x.InboxMessageId == inboxState.MessageId && x.InboxConsumerId == inboxState.ConsumerId)
                .Select(x => (long?)x.SequenceNumber)
                .Max() ?? inboxState.LastSequenceNumber;
            inboxState.RowVersion++;
        }

        await dbContext.SaveChangesAsync(queryToken).ConfigureAwait(false);

        return handled.Count;
    }

    /// <summary>
    /// Sends each group's messages in sequence order, the groups concurrently. A group stops at its first
    /// failure so nothing overtakes an undelivered message. Returns the sequence numbers that were handled.
    /// </summary>
    private async Task<List<long>> SendInOrder<TKey>(IEnumerable<IGrouping<TKey, OutboxMessage>> groups, CancellationToken cancellationToken)
    {
        var handled = new ConcurrentBag<long>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.DeliveryConcurrency, CancellationToken = cancellationToken };

        await Parallel.ForEachAsync(groups, parallel, async (group, token) =>
        {
            foreach (var message in group)
            {
                if (!await TrySend(message, token).ConfigureAwait(false))
                    break;

                handled.Add(message.SequenceNumber);
            }
        }).ConfigureAwait(false);

        return handled.ToList();
    }

    private async Task<bool> TrySend(OutboxMessage message, CancellationToken cancellationToken)
    {
        message.Deserialize(SystemTextJsonMessageSerializer.Instance);

        if (message.DestinationAddress == null)
        {
            // Cannot ever be delivered; dropping it keeps its scope from blocking forever.
            OutboxLog.NoDestination(_logger, message.MessageId, message.SequenceNumber);
            return true;
        }

        StartedActivity? activity = LogContext.Current?.StartOutboxDeliverActivity(message);
        try
        {
            using var sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            sendTimeout.CancelAfter(_delivery.MessageDeliveryTimeout);

            var endpoint = await _bus.GetSendEndpoint(message.DestinationAddress).ConfigureAwait(false);
            var pipe = new StoredMessageSendPipe(message, _timeProvider.GetUtcNow().UtcDateTime);
            await endpoint.Send(new SerializedMessageBody(), pipe, sendTimeout.Token).ConfigureAwait(false);
            _lag.Record(Math.Max(0, (_timeProvider.GetUtcNow().UtcDateTime - message.SentTime).TotalSeconds));
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.AddExceptionEvent(exception);
            OutboxLog.SendFailed(_logger, exception, message.MessageId, message.SequenceNumber, message.DestinationAddress);
            return false;
        }
        finally
        {
            activity?.Stop();
        }
    }

    private async Task DelayAfterFault(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(_delivery.QueryDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

internal static partial class OutboxLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox delivery faulted; retrying in {QueryDelay}")]
    public static partial void DeliveryFaulted(ILogger logger, Exception exception, TimeSpan queryDelay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} (sequence {SequenceNumber}) has no destination address and was removed")]
    public static partial void NoDestination(ILogger logger, Guid messageId, long sequenceNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} (sequence {SequenceNumber}) could not be sent to {DestinationAddress}")]
    public static partial void SendFailed(ILogger logger, Exception exception, Guid messageId, long sequenceNumber, Uri? destinationAddress);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox cleanup faulted")]
    public static partial void InboxCleanupFaulted(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired inbox rows")]
    public static partial void InboxRowsRemoved(ILogger logger, int count);
}
