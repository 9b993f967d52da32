using Xunit;
using Xunit.Sdk;

namespace Payments.Testing;

/// <summary>
/// Waits for what another thread, process or service does on its own time: a message consumed, a row written, a span
/// exported. The timeout only bounds a failing test; a passing one returns as soon as the condition holds.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls until the condition holds; fails the test, naming <paramref name="what" />, after the timeout.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new XunitException($"Timed out waiting until {what}");
            await Task.Delay(Poll, TestContext.Current.CancellationToken);
        }
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits until <paramref name="items"/> yields something, then returns its only item (fails if there are more).</summary>
    public static async Task<T> OnlyOne<T>(Func<IEnumerable<T>> items, string what, TimeSpan? timeout = null)
    {
        List<T> found = [];
        await Until(() => (found = items().ToList()).Count > 0, what, timeout);
        return Assert.Single(found);
    }
}
