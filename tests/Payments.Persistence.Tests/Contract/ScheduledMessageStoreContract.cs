using Payments.Persistence.Scheduling;
using Xunit;

namespace Payments.Persistence.Tests.Contract;

/// <summary>
/// What a store of scheduled messages must do, whoever implements it: each case runs against our EF store on
/// PostgreSQL and against the in-memory store. Scheduling adds a message, cancelling removes it, and a message
/// fires when a claim of due messages takes it and completes.
/// </summary>
public abstract class ScheduledMessageStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A store over the same messages as every other store this test opened; the EF store needs one per open claim,
    /// as each claim holds its own transaction.
    /// </summary>
    protected abstract IScheduledMessageStore OpenStore();

    [Fact]
    public async Task Only_due_messages_fire_oldest_first()
    {
        var later = Message(Noon.AddMinutes(5));
        var earliest = Message(Noon.AddMinutes(-2));
        var due = Message(Noon);
        foreach (var message in new[] { later, earliest, due })
            await OpenStore().AddAsync(message, Token);

        Assert.Equal([earliest.TokenId, due.TokenId], await Fire(Noon));
        Assert.Empty(await Fire(Noon.AddMinutes(4)));
        Assert.Equal([later.TokenId], await Fire(Noon.AddMinutes(5)));
    }

    [Fact]
    public async Task A_cancelled_message_never_fires()
    {
        var cancelled = Message(Noon);
        var kept = Message(Noon);
        await OpenStore().AddAsync(cancelled, Token);
        await OpenStore().AddAsync(kept, Token);

        Assert.True(await OpenStore().CancelAsync(cancelled.TokenId, Token));
        Assert.False(await OpenStore().CancelAsync(cancelled.TokenId, Token));

        Assert.Equal([kept.TokenId], await Fire(Noon.AddHours(1)));
    }

    [Fact]
    public async Task Scheduling_a_token_again_replaces_the_waiting_message()
    {
        var first = Message(Noon);
        var again = Message(Noon.AddMinutes(10));
        again.TokenId = first.TokenId;
        await OpenStore().AddAsync(first, Token);
        await OpenStore().AddAsync(again, Token);

        Assert.Empty(await Fire(Noon));
        await using var claim = await OpenStore().ClaimDueAsync(Noon.AddMinutes(10), 10, Token);
        Assert.Equal(again.MessageId, Assert.Single(claim.Messages).MessageId);
    }

    [Fact]
    public async Task A_claimed_message_is_invisible_to_another_claim_until_released()
    {
        var message = Message(Noon);
        await OpenStore().AddAsync(message, Token);

        var first = await OpenStore().ClaimDueAsync(Noon, 10, Token);
        await using (var second = await OpenStore().ClaimDueAsync(Noon, 10, Token))
        {
            Assert.Single(first.Messages);
            Assert.Empty(second.Messages);
        }

        await first.DisposeAsync();

        Assert.Equal([message.TokenId], await Fire(Noon));
    }

    [Fact]
    public async Task Completing_a_claim_removes_what_was_sent_and_keeps_what_was_not()
    {
        var sent = Message(Noon.AddSeconds(-1));
        var failed = Message(Noon);
        await OpenStore().AddAsync(sent, Token);
        await OpenStore().AddAsync(failed, Token);

        await using (var claim = await OpenStore().ClaimDueAsync(Noon, 10, Token))
            await claim.CompleteAsync([sent.TokenId], Token);

        Assert.Equal([failed.TokenId], await Fire(Noon));
    }

    /// <summary>Claims what is due at <paramref name="now"/> and completes it as sent: the dispatcher's pass.</summary>
    private async Task<List<Guid>> Fire(DateTimeOffset now)
    {
        await using var claim = await OpenStore().ClaimDueAsync(now, 10, Token);
        var tokens = claim.Messages.Select(x => x.TokenId).ToList();
        await claim.CompleteAsync(tokens, Token);
        return tokens;
    }

    private static ScheduledMessage Message(DateTimeOffset dueAt) => new()
    {
        TokenId = Guid.NewGuid(),
        MessageId = Guid.NewGuid(),
        DestinationAddress = "queue:anywhere",
        MessageType = "urn:message:Payments:PollDue",
        ContentType = "application/vnd.masstransit+json",
        Body = $"{{\"dueAt\":\"{dueAt:O}\"}}",
        DueAt = dueAt,
        CreatedAt = Noon.AddHours(-1),
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
