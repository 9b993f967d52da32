namespace Payments.Persistence.Tests.Infrastructure;

public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls until the condition holds; fails with <paramref name="what" /> after the timeout.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        return Until(() => Task.FromResult(condition()), what, timeout);
    }
}
