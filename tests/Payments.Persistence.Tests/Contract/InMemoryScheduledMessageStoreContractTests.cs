using Payments.Persistence.Scheduling;

namespace Payments.Persistence.Tests.Contract;

/// <summary>The in-memory store: one instance is all the stores there are.</summary>
public sealed class InMemoryScheduledMessageStoreContractTests : ScheduledMessageStoreContract
{
    private readonly InMemoryScheduledMessageStore _store = new();

    protected override IScheduledMessageStore OpenStore() => _store;
}
