using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Persistence.Saga;

namespace Payments.Persistence.Tests.TestSaga;

public sealed class TestSagaState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    /// <summary>Null while a pre-inserted instance (InsertOnInitial) is still in the Initial state.</summary>
    public string? CurrentState { get; set; }

    public string Reference { get; set; } = null!;

    public int Counter { get; set; }

    /// <summary>How many StartTestSaga messages reached this instance.</summary>
    public int Starts { get; set; }

    /// <summary>PostgreSQL's xmin.</summary>
    public uint RowVersion { get; set; }
}


public sealed class TestSagaStateMap : SagaClassMap<TestSagaState>
{
    protected override void Configure(EntityTypeBuilder<TestSagaState> entity, ModelBuilder model)
    {
        entity.ToTable("TestSagaState");
        entity.Property(x => x.CurrentState).HasMaxLength(64);
        entity.Property(x => x.Reference).HasMaxLength(64);
        entity.HasIndex(x => x.Reference).IsUnique();
        entity.Property(x => x.RowVersion).IsRowVersion();
    }
}
