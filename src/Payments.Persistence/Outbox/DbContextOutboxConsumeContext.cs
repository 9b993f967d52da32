using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Persistence.Outbox;

/// <summary>
/// The consume context a consumer or saga sees under the EF outbox: everything it sends or publishes becomes
/// an <see cref="OutboxMessage" /> row in the same DbContext and transaction as its own changes; the inbox row
/// records that the message was consumed and, later, that its messages were delivered.
/// </summary>
public class DbContextOutboxConsumeContext<TDbContext, TMessage> :
    OutboxConsumeContextProxy<TMessage>,
    IDbTransactionContext
    where TDbContext : DbContext
    where TMessage : class
{
    private readonly TDbContext _dbContext;
    private readonly InboxState _inboxState;
    private readonly TimeProvider _timeProvider;
    private readonly IDbContextTransaction _transaction;
    private readonly List<OutboxMessage> _added = [];

    public DbContextOutboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider,
        TDbContext dbContext, IDbContextTransaction transaction, InboxState inboxState, TimeProvider timeProvider)
        : base(context, options, provider)
    {
        _dbContext = dbContext;
        _transaction = transaction;
        _inboxState = inboxState;
        _timeProvider = timeProvider;
    }

    public override Guid? MessageId => _inboxState.MessageId;

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => _inboxState.Consumed.HasValue;

    public override bool IsOutboxDelivered => _inboxState.Delivered.HasValue;

    public override int ReceiveCount => _inboxState.ReceiveCount;

    public override long? LastSequenceNumber => _inboxState.LastSequenceNumber;

    public Guid TransactionId => _transaction.TransactionId;

    /// <summary>The outgoing messages this pass wrote; their sequence numbers are set once they are saved.</summary>
    public IReadOnlyList<OutboxMessage> AddedMessages => _added;

    private DateTime Now => _timeProvider.GetUtcNow().UtcDateTime;

    public override async Task SetConsumed()
    {
        _inboxState.Consumed = Now;
        _inboxState.RowVersion++;

        await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks the inbox row delivered and removes its outbox rows in the same transaction, which completes the
    /// message; MassTransit's separate "remove outbox messages" pass (one more transaction) is not needed.
    /// </summary>
    public override async Task SetDelivered()
    {
        _inboxState.Delivered = Now;
        _inboxState.RowVersion++;

        await RemoveOutboxMessages().ConfigureAwait(false);
        await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);

        ContinueProcessing = false;
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        var lastSequenceNumber = LastSequenceNumber ?? 0;
        var inboxMessageId = _inboxState.MessageId;
        var consumerId = ConsumerId;

        List<OutboxMessage> messages = await _dbContext.Set<OutboxMessage>()
            .Where(x => x.InboxMessageId == inboxMessageId && x.InboxConsumerId == consumerId && x.SequenceNumber > lastSequenceNumber)
            .OrderBy(x => x.SequenceNumber)
            .Take(Options.MessageDeliveryLimit + 1)
            .AsNoTracking()
            .ToListAsync(CancellationToken)
            .ConfigureAwait(false);

        foreach (var message in messages)
            message.Deserialize(SerializerContext);

        return messages.Cast<OutboxMessageContext>().ToList();
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        _inboxState.LastSequenceNumber = message.SequenceNumber;

        return Task.CompletedTask;
    }

    public override Task RemoveOutboxMessages()
    {
        var inboxMessageId = _inboxState.MessageId;
        var consumerId = ConsumerId;

        return _dbContext.Set<OutboxMessage>()
            .Where(x => x.InboxMessageId == inboxMessageId && x.InboxConsumerId == consumerId)
            .ExecuteDeleteAsync(CancellationToken);
    }

    public override Task AddSend<T>(SendContext<T> context)
    {
        var message = _dbContext.Set<OutboxMessage>().AddSend(context, SerializerContext, Now, _inboxState.MessageId, ConsumerId);
        lock (_added)
            _added.Add(message);

        return Task.CompletedTask;
    }
}
