using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Saga;

/// <summary>Maps one saga's state to a table.</summary>
public interface ISagaClassMap
{
    Type SagaType { get; }

    void Configure(ModelBuilder model);
}


public interface ISagaClassMap<TSaga> : ISagaClassMap
    where TSaga : class, ISaga
{
}
