using MassTransit.Testing;

namespace Payments.Persistence.Tests.Scheduling;

/// <summary>
/// Waits for a message to show up in the harness's lists. The harness's own Any gives up once the bus has been idle
/// for its inactivity timeout, which a loaded CI machine can exceed between a publish and its consumption.
/// </summary>
public static class HarnessWaits
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static Task WaitForConsumed<T>(this IReceivedMessageList consumed, Func<T, bool> match)
        where T : class =>
        Eventually.Until(() => consumed.Select<T>(x => match(x.Context.Message)).Any(), $"a {typeof(T).Name} was consumed", Patience);

    public static Task WaitForPublished<T>(this IPublishedMessageList published, Func<T, bool> match)
        where T : class =>
        Eventually.Until(() => published.Select<T>(x => match(x.Context.Message)).Any(), $"a {typeof(T).Name} was published", Patience);
}
