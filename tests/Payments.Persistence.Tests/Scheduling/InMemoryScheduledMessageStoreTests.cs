using Payments.Persistence.Scheduling;
using Xunit;

namespace Payments.Persistence.Tests.Scheduling;

public sealed class InMemoryScheduledMessageStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Only_due_messages_are_claimed_oldest_first()
    {
        var store = new InMemoryScheduledMessageStore();
        ScheduledMessage later = Message(Noon.AddMinutes(5));
        ScheduledMessage earliest = Message(Noon.AddMinutes(-2));
        ScheduledMessage due = Message(Noon);
        foreach (ScheduledMessage message in new[] { later, earliest, due })
        {
            await store.AddAsync(message, Token);
        }

        await using IScheduledMessageClaim claim = await store.ClaimDueAsync(Noon, 10, Token);

        Assert.Equal([earliest.TokenId, due.TokenId], claim.Messages.Select(x => x.TokenId));
    }

    [Fact]
    public async Task A_claimed_message_is_invisible_to_another_claim_until_released()
    {
        var store = new InMemoryScheduledMessageStore();
        ScheduledMessage message = Message(Noon);
        await store.AddAsync(message, Token);

        IScheduledMessageClaim first = await store.ClaimDueAsync(Noon, 10, Token);
        await using (IScheduledMessageClaim second = await store.ClaimDueAsync(Noon, 10, Token))
        {
            Assert.Single(first.Messages);
            Assert.Empty(second.Messages);
        }

        await first.DisposeAsync();

        await using IScheduledMessageClaim afterRelease = await store.ClaimDueAsync(Noon, 10, Token);
        Assert.Equal(message.TokenId, Assert.Single(afterRelease.Messages).TokenId);
    }

    [Fact]
    public async Task Completing_removes_what_was_sent_and_keeps_what_was_not()
    {
        var store = new InMemoryScheduledMessageStore();
        ScheduledMessage sent = Message(Noon.AddSeconds(-1));
        ScheduledMessage failed = Message(Noon);
        await store.AddAsync(sent, Token);
        await store.AddAsync(failed, Token);

        await using (IScheduledMessageClaim claim = await store.ClaimDueAsync(Noon, 10, Token))
        {
            await claim.CompleteAsync([sent.TokenId], Token);
        }

        Assert.Equal([failed.TokenId], store.Snapshot().Select(x => x.TokenId));
        await using IScheduledMessageClaim retry = await store.ClaimDueAsync(Noon, 10, Token);
        Assert.Equal(failed.TokenId, Assert.Single(retry.Messages).TokenId);
    }

    [Fact]
    public async Task Cancelling_removes_a_waiting_message_once()
    {
        var store = new InMemoryScheduledMessageStore();
        ScheduledMessage message = Message(Noon);
        await store.AddAsync(message, Token);

        Assert.True(await store.CancelAsync(message.TokenId, Token));
        Assert.False(await store.CancelAsync(message.TokenId, Token));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Scheduling_a_token_again_replaces_the_waiting_message()
    {
        var store = new InMemoryScheduledMessageStore();
        ScheduledMessage first = Message(Noon);
        await store.AddAsync(first, Token);

        ScheduledMessage replacement = Message(Noon.AddMinutes(10));
        replacement.TokenId = first.TokenId;
        await store.AddAsync(replacement, Token);

        ScheduledMessage stored = Assert.Single(store.Snapshot());
        Assert.Equal(Noon.AddMinutes(10), stored.DueAt);
    }

    [Fact]
    public async Task A_message_rescheduled_while_claimed_survives_the_claim_completing()
    {
        var store = new InMemoryScheduledMessageStore();
        ScheduledMessage original = Message(Noon);
        await store.AddAsync(original, Token);

        await using IScheduledMessageClaim claim = await store.ClaimDueAsync(Noon, 10, Token);
        ScheduledMessage rescheduled = Message(Noon.AddMinutes(1));
        rescheduled.TokenId = original.TokenId;
        await store.AddAsync(rescheduled, Token);
        await claim.CompleteAsync([original.TokenId], Token);

        Assert.Equal(Noon.AddMinutes(1), Assert.Single(store.Snapshot()).DueAt);
    }

    [Fact]
    public async Task Concurrent_claims_never_share_a_message()
    {
        var store = new InMemoryScheduledMessageStore();
        List<ScheduledMessage> messages = Enumerable.Range(0, 500).Select(i => Message(Noon.AddMilliseconds(-i))).ToList();
        foreach (ScheduledMessage message in messages)
        {
            await store.AddAsync(message, Token);
        }

        async Task<List<Guid>> Drain()
        {
            var taken = new List<Guid>();
            while (true)
            {
                await using IScheduledMessageClaim claim = await store.ClaimDueAsync(Noon, 7, Token);
                if (claim.Messages.Count == 0)
                {
                    return taken;
                }

                taken.AddRange(claim.Messages.Select(x => x.TokenId));
                await claim.CompleteAsync(claim.Messages.Select(x => x.TokenId).ToList(), Token);
            }
        }

        List<Guid>[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Drain, Token)));

        List<Guid> all = results.SelectMany(x => x).ToList();
        Assert.Equal(messages.Count, all.Count);
        Assert.Equal(messages.Select(x => x.TokenId).Order(), all.Order());
        Assert.Equal(0, store.Count);
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
