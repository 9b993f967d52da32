using Payments.Persistence.Scheduling;
using Payments.Persistence.Tests.Scheduling;
using Xunit;

namespace Payments.Persistence.Tests.Contract;

/// <summary>Our EF store on PostgreSQL; each store has a context of its own, as each dispatcher's scope does.</summary>
public sealed class EntityFrameworkScheduledMessageStoreContractTests(PostgresSchedulingDatabase database)
    : ScheduledMessageStoreContract, IClassFixture<PostgresSchedulingDatabase>, IAsyncLifetime
{
    private readonly List<SchedulingTestDbContext> _contexts = [];

    public async ValueTask InitializeAsync()
    {
        // Not skipped: a contract that quietly did not run would prove nothing.
        if (database.ConnectionString is null)
            throw new InvalidOperationException($"{PostgresSchedulingDatabase.EnvironmentVariable} is not set; run infra/test-services/postgres.sh start");
        await database.ClearAsync();
    }

    protected override IScheduledMessageStore OpenStore()
    {
        var context = database.CreateContext();
        _contexts.Add(context);
        return new EntityFrameworkScheduledMessageStore<SchedulingTestDbContext>(context);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
            await context.DisposeAsync();
    }
}
