using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Payments.Persistence;
using Payments.Persistence.Saga;
using Payments.Persistence.Scheduling;

namespace Payments.Processor.Persistence;

/// <summary>
/// One database, one transaction per message: the payment saga's state, its audit trail, the outbox and inbox,
/// scheduled inquiries, and the charge-attempt ledger. No table has a column for card data.
/// </summary>
public sealed class PaymentsDbContext(DbContextOptions<PaymentsDbContext> options) : SagaDbContext(options)
{
    protected override IEnumerable<ISagaClassMap> Configurations => [new PaymentStateMap(Database.ProviderName)];

    public DbSet<ChargeAttemptRecord> ChargeAttempts => Set<ChargeAttemptRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddTransactionalOutboxEntities();
        modelBuilder.AddScheduledMessageEntity();
        modelBuilder.Entity<ChargeAttemptRecord>(attempt =>
        {
            attempt.ToTable("charge_attempts");
            attempt.HasKey(x => x.PaymentId);
            attempt.Property(x => x.Gateway).HasMaxLength(20);
            attempt.Property(x => x.MerchantReference).HasMaxLength(100);
            attempt.Property(x => x.AccountId).HasMaxLength(64);
            attempt.Property(x => x.TraceParent).HasMaxLength(128);
            attempt.HasIndex(x => new { x.Gateway, x.MerchantReference }).IsUnique();
        });
    }

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ReplaceService<IModelCacheKeyFactory, ProviderAwareModelCacheKeyFactory>();
}

/// <summary>The model differs by provider (the row version), so one process may hold one model per provider.</summary>
internal sealed class ProviderAwareModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) => (context.GetType(), context.Database.ProviderName, designTime);
}

/// <summary>A charge request that may have left for the gateway (see <see cref="Payments.IChargeAttemptLedger"/>).</summary>
public sealed class ChargeAttemptRecord
{
    public Guid PaymentId { get; set; }
    public string Gateway { get; set; } = "";
    public string MerchantReference { get; set; } = "";
    public string? AccountId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>The W3C traceparent of the charge, so a callback's span can link to the payment's trace.</summary>
    public string? TraceParent { get; set; }
    /// <summary>
    /// The gateway's answer (a <see cref="Payments.Gateways.ChargeResult"/> as JSON: ids, codes, the masked card, the 3DS
    /// page), kept so a redelivered charge hands it on again instead of asking the gateway a second time. Null until answered.
    /// </summary>
    public string? Answer { get; set; }
}
