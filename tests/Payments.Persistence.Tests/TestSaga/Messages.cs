namespace Payments.Persistence.Tests.TestSaga;

public record StartTestSaga(Guid CorrelationId, string Reference);

/// <summary>Starts the saga with InsertOnInitial: the instance row is inserted before the event runs.</summary>
public record StartTestSagaWithInsert(Guid CorrelationId, string Reference);

public record IncrementTestSaga(Guid CorrelationId, int Amount);

public record IncrementTestSagaByReference(string Reference, int Amount);

/// <summary>The saga changes its state, publishes, then throws.</summary>
public record FailAfterPublishing(Guid CorrelationId);

/// <summary>The saga publishes a message whose inline delivery fails, leaving it in the outbox.</summary>
public record PublishUndeliverable(Guid CorrelationId);

public record TestSagaStarted(Guid CorrelationId);

public record TestSagaIncremented(Guid CorrelationId, int Counter);

public record RecordLedgerEntry(Guid Id, decimal Amount, bool FailAfterPublishing);

public record LedgerEntryRecorded(Guid Id);

public record BusOutboxMessage(Guid Id, int Sequence);
