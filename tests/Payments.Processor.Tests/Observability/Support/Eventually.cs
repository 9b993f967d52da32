using Xunit;

namespace Payments.Processor.Tests.Observability.Support;

public static class Eventually
{
    /// <summary>Waits until <paramref name="items"/> yields exactly one item, then returns it.</summary>
    public static async Task<T> OnlyOne<T>(Func<IEnumerable<T>> items, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<T> found;
        while ((found = items().ToList()).Count == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(25, TestContext.Current.CancellationToken);
        return Assert.Single(found);
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="because"/> if it never does.</summary>
    public static async Task True(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
            await Task.Delay(25, TestContext.Current.CancellationToken);
        Assert.True(condition(), because);
    }
}
