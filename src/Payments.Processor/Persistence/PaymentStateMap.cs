using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Persistence.Saga;
using Payments.Processor.Payments;

namespace Payments.Processor.Persistence;

/// <summary>The payment saga's tables. Card data has no column; the masked PAN is all there is.</summary>
public sealed class PaymentStateMap(string? providerName) : SagaClassMap<PaymentState>
{
    public const string RowVersion = "RowVersion";

    protected override void Configure(EntityTypeBuilder<PaymentState> entity, ModelBuilder model)
    {
        entity.ToTable("payments");
        entity.Property(x => x.CurrentState).HasMaxLength(32);
        entity.Property(x => x.MerchantReference).HasMaxLength(100);
        entity.Property(x => x.AccountId).HasMaxLength(64);
        entity.Property(x => x.Currency).HasMaxLength(3);
        entity.Property(x => x.Gateway).HasMaxLength(20);
        entity.Property(x => x.CardMasked).HasMaxLength(24);
        entity.Property(x => x.GatewayTransactionId).HasMaxLength(100);
        entity.Property(x => x.ProviderTransactionId).HasMaxLength(100);
        entity.Property(x => x.AuthorizationCode).HasMaxLength(100);
        entity.Property(x => x.PaymentUrl).HasMaxLength(4000);
        entity.Property(x => x.ReturnUrl).HasMaxLength(2000);
        entity.Property(x => x.FailureCode).HasMaxLength(64);
        entity.Property(x => x.FailureReason).HasMaxLength(1000);
        entity.Property(x => x.RefundKind).HasMaxLength(8);
        entity.Property(x => x.RefundReason).HasMaxLength(500);
        entity.Property(x => x.RefundIdempotencyKey).HasMaxLength(100);
        entity.Property(x => x.RefundFrom).HasMaxLength(32);
        entity.Property(x => x.RefundFailureCode).HasMaxLength(64);
        entity.Property(x => x.RefundFailureReason).HasMaxLength(1000);
        entity.Property(x => x.GatewayCode).HasMaxLength(64);
        entity.Property(x => x.GatewayMessage).HasMaxLength(1000);
        entity.Ignore(x => x.IsFinal);
        entity.Ignore(x => x.ValidationErrors);
        entity.Ignore(x => x.GatewayReference);

        // Optimistic concurrency: PostgreSQL's xmin system column, SQL Server's rowversion.
        if (providerName?.Contains("SqlServer", StringComparison.Ordinal) == true)
            entity.Property<byte[]>(RowVersion).IsRowVersion();
        else
            entity.Property<uint>(RowVersion).IsRowVersion();

        entity.HasIndex(x => x.MerchantReference);
        entity.HasIndex(x => new { x.CurrentState, x.UpdatedAt });
        entity.HasIndex(x => x.CreatedAt);

        entity.OwnsMany(x => x.Transitions, transition =>
        {
            transition.ToTable("payment_transitions");
            transition.WithOwner().HasForeignKey("PaymentId");
            transition.Property<long>("Id");
            transition.HasKey("Id");
            transition.Property(t => t.From).HasMaxLength(32);
            transition.Property(t => t.To).HasMaxLength(32);
            transition.Property(t => t.Cause).HasMaxLength(32);
            transition.Property(t => t.Detail).HasMaxLength(2000);
        });
    }
}
