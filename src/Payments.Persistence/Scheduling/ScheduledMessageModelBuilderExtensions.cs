using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Scheduling;

public static class ScheduledMessageModelBuilderExtensions
{
    public const string DefaultTableName = "ScheduledMessages";

    /// <summary>Maps <see cref="ScheduledMessage"/> (call from <c>OnModelCreating</c> of the context the scheduler writes through).</summary>
    public static ModelBuilder AddScheduledMessageEntity(this ModelBuilder modelBuilder, string tableName = DefaultTableName, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<ScheduledMessage>(entity =>
        {
            entity.ToTable(tableName, schema);
            entity.HasKey(x => x.TokenId);
            entity.Property(x => x.TokenId).ValueGeneratedNever();
            entity.Property(x => x.DestinationAddress).HasMaxLength(1024).IsRequired();
            entity.Property(x => x.MessageType).HasMaxLength(2048).IsRequired();
            entity.Property(x => x.ContentType).HasMaxLength(256).IsRequired();
            entity.Property(x => x.Body).IsRequired();
            entity.HasIndex(x => x.DueAt);
        });

        return modelBuilder;
    }
}
