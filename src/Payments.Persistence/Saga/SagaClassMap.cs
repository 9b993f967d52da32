using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payments.Persistence.Saga;

/// <summary>
/// Base for a saga's table mapping: CorrelationId is the key (assigned by the saga, never generated).
/// The derived map must declare the row version that optimistic concurrency relies on, e.g.
/// <c>entity.Property(x => x.RowVersion).IsRowVersion()</c> with a <c>uint RowVersion</c> on PostgreSQL (maps to
/// <c>xmin</c>) or a <c>byte[] RowVersion</c> on SQL Server (<c>rowversion</c>).
/// </summary>
public abstract class SagaClassMap<TSaga> : ISagaClassMap<TSaga>
    where TSaga : class, ISaga
{
    public Type SagaType => typeof(TSaga);

    public virtual void Configure(ModelBuilder model)
    {
        var entity = model.Entity<TSaga>();

        ConfigureCorrelationIdKey(entity.HasKey(x => x.CorrelationId));
        entity.Property(x => x.CorrelationId).ValueGeneratedNever();

        Configure(entity, model);
    }

    protected virtual void Configure(EntityTypeBuilder<TSaga> entity, ModelBuilder model)
    {
    }

    /// <summary>Override to adjust the primary key (e.g. clustering on SQL Server).</summary>
    protected virtual KeyBuilder ConfigureCorrelationIdKey(KeyBuilder keyBuilder)
    {
        return keyBuilder;
    }
}
