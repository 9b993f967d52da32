using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Persistence.Outbox;

namespace Payments.Persistence;

/// <summary>Maps the inbox and outbox tables; call from the DbContext's OnModelCreating.</summary>
public static class OutboxModelBuilderExtensions
{
    private const int AddressLength = 256;

    /// <summary>InboxState, OutboxMessage and OutboxState in one call.</summary>
    public static ModelBuilder AddTransactionalOutboxEntities(this ModelBuilder modelBuilder)
    {
        modelBuilder.AddInboxStateEntity();
        modelBuilder.AddOutboxMessageEntity();
        modelBuilder.AddOutboxStateEntity();
        return modelBuilder;
    }

    public static void AddInboxStateEntity(this ModelBuilder modelBuilder, Action<EntityTypeBuilder<InboxState>>? callback = null)
    {
        var inbox = modelBuilder.Entity<InboxState>();

        inbox.HasKey(x => x.Id);
        inbox.Property(x => x.Id).ValueGeneratedOnAdd();
        inbox.HasAlternateKey(x => new { x.MessageId, x.ConsumerId });
        inbox.Property(x => x.RowVersion).IsConcurrencyToken();
        inbox.HasIndex(x => x.Delivered);
        inbox.HasIndex(x => x.Consumed);

        callback?.Invoke(inbox);
    }

    public static void AddOutboxMessageEntity(this ModelBuilder modelBuilder, Action<EntityTypeBuilder<OutboxMessage>>? callback = null)
    {
        var message = modelBuilder.Entity<OutboxMessage>();

        message.HasKey(x => x.SequenceNumber);
        message.Property(x => x.SequenceNumber).ValueGeneratedOnAdd();

        message.Property(x => x.SourceAddress).HasMaxLength(AddressLength);
        message.Property(x => x.DestinationAddress).HasMaxLength(AddressLength);
        message.Property(x => x.ResponseAddress).HasMaxLength(AddressLength);
        message.Property(x => x.FaultAddress).HasMaxLength(AddressLength);
        message.Property(x => x.ContentType).HasMaxLength(AddressLength);

        message.HasIndex(x => x.EnqueueTime);
        message.HasIndex(x => x.ExpirationTime);
        message.HasIndex(x => new { x.InboxMessageId, x.InboxConsumerId, x.SequenceNumber }).IsUnique();
        message.HasIndex(x => new { x.OutboxId, x.SequenceNumber }).IsUnique();

        callback?.Invoke(message);
    }

    public static void AddOutboxStateEntity(this ModelBuilder modelBuilder, Action<EntityTypeBuilder<OutboxState>>? callback = null)
    {
        var outbox = modelBuilder.Entity<OutboxState>();

        outbox.HasKey(x => x.OutboxId);
        outbox.Property(x => x.OutboxId).ValueGeneratedNever();
        outbox.Property(x => x.RowVersion).IsConcurrencyToken();
        outbox.HasIndex(x => x.Created);

        callback?.Invoke(outbox);
    }
}
