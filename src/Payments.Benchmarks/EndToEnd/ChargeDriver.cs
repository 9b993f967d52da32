using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Contracts;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>
/// The merchant side over the bus: sends <see cref="ChargeRequested"/> to the processor's <c>payments</c> queue and
/// receives <see cref="PaymentCompleted"/> on a queue of its own, closed-loop (a fixed number in flight) or open-loop
/// (a fixed rate).
/// </summary>
public sealed class ChargeDriver : IAsyncDisposable
{
    public const string SuccessCard = "4111111111111111";
    public const string ThreeDsCard = "4000000000003220";
    /// <summary>Distinctive enough to find in a database dump or a broker's files next to the word "cvv".</summary>
    public const string Cvv = "987";
    private const int Senders = 8;

    private readonly ServiceProvider _provider;
    private readonly IBusControl _bus;
    private ISendEndpoint? _payments;

    private ChargeDriver(ServiceProvider provider)
    {
        _provider = provider;
        _bus = provider.GetRequiredService<IBusControl>();
        Tracker = provider.GetRequiredService<CompletionTracker>();
    }

    public CompletionTracker Tracker { get; }

    public static async Task<ChargeDriver> StartAsync(TestServices services)
    {
        var collection = new ServiceCollection();
        // Warning would print a stack trace for every reconnection attempt while the chaos run restarts the broker.
        collection.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("MassTransit", LogLevel.Error));
        collection.AddSingleton<CompletionTracker>();
        collection.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.AddConsumer<PaymentCompletedConsumer>().Endpoint(endpoint => endpoint.Name = "benchmark-completions");
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(services.RabbitMqHost, services.RabbitMqPort, services.VirtualHost, host =>
                {
                    host.Username("guest");
                    host.Password("guest");
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        var driver = new ChargeDriver(collection.BuildServiceProvider());
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await driver._bus.StartAsync(startTimeout.Token);
        driver._payments = await driver._bus.GetSendEndpoint(new Uri("queue:payments"));
        return driver;
    }

    public static ChargeRequested NewCharge(string card, string referencePrefix)
    {
        var paymentId = NewId.NextGuid();
        var expiry = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).AddYears(2).ToString("yyMM", CultureInfo.InvariantCulture);
        return new ChargeRequested
        {
            PaymentId = paymentId,
            MerchantReference = referencePrefix + paymentId.ToString("N"), // all of it: NewId varies its time bits at the end
            Amount = 150_000,
            Currency = "IDR",
            GoodsName = "Benchmark plan",
            Customer = new Customer
            {
                Name = "Budi Santoso",
                Email = "budi@example.com",
                Phone = "08123456789",
                Address = "Jl. Sudirman 1",
                City = "Jakarta",
                State = "DKI Jakarta",
                PostalCode = "10210",
                Country = "ID",
            },
            Card = new CardDetails { Number = card, Expiry = expiry, Cvv = ChargeDriver.Cvv, HolderName = "Budi Santoso", HolderEmail = "budi@example.com" },
        };
    }

    public async Task SendAsync(ChargeRequested charge, string kind)
    {
        var tracked = Tracker.Track(charge, kind);
        tracked.SentAt = Tracker.Now;
        await _payments!.Send(charge);
    }

    /// <summary>Sends until the broker takes it (a restarting broker refuses sends for a while); the same PaymentId each time.</summary>
    public async Task SendUntilAcceptedAsync(ChargeRequested charge, string kind, TimeSpan giveUpAfter)
    {
        var tracked = Tracker.Track(charge, kind);
        tracked.SentAt = Tracker.Now;
        var deadline = Tracker.Now + giveUpAfter;
        while (true)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _payments!.Send(charge, timeout.Token);
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException && Tracker.Now < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Sends <paramref name="count"/> charges keeping at most <paramref name="inFlight"/> without an outcome.</summary>
    public async Task RunClosedLoopAsync(int count, int inFlight, string kind, Func<int, string> cardFor)
    {
        using var slots = new SemaphoreSlim(inFlight);
        void Release() => slots.Release();
        Tracker.FirstCompletion += Release;
        try
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
            {
                int number;
                while ((number = Interlocked.Increment(ref next)) < count)
                {
                    await slots.WaitAsync();
                    await SendAsync(NewCharge(cardFor(number), "BE-"), kind);
                }
            }));
            await WaitForCompletionsAsync(kind);
        }
        finally
        {
            Tracker.FirstCompletion -= Release;
        }
    }

    /// <summary>Sends <paramref name="count"/> charges at <paramref name="perSecond"/>, whatever comes back.</summary>
    public async Task RunOpenLoopAsync(int count, double perSecond, string kind)
    {
        var start = Tracker.Now;
        var pending = new List<Task>(count);
        for (var number = 0; number < count; number++)
        {
            var due = start + TimeSpan.FromSeconds(number / perSecond);
            var wait = due - Tracker.Now;
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait);
            pending.Add(SendAsync(NewCharge(SuccessCard, "BH-"), kind));
        }
        await Task.WhenAll(pending);
        await WaitForCompletionsAsync(kind);
    }

    /// <summary>Until every charge of this kind has an outcome, or none came for a minute.</summary>
    public async Task<bool> WaitForCompletionsAsync(string kind, TimeSpan? quietLimit = null)
    {
        var limit = quietLimit ?? TimeSpan.FromSeconds(60);
        var lastProgress = Tracker.Now;
        var lastCount = -1;
        while (true)
        {
            var charges = Tracker.Charges.Where(charge => charge.Kind == kind).ToList();
            var done = charges.Count(charge => charge.CompletedAt is not null);
            if (done == charges.Count)
                return true;
            if (done != lastCount)
            {
                lastCount = done;
                lastProgress = Tracker.Now;
            }
            else if (Tracker.Now - lastProgress > limit)
                return false;
            await Task.Delay(100);
        }
    }

    /// <summary>Until every charge sent has an outcome, none came for <paramref name="quietLimit"/>, or <paramref name="overallLimit"/> passed.</summary>
    public async Task WaitForAllAsync(TimeSpan quietLimit, TimeSpan overallLimit)
    {
        var started = Tracker.Now;
        var lastProgress = Tracker.Now;
        var lastCount = -1;
        while (Tracker.Now - started < overallLimit)
        {
            var charges = Tracker.Charges;
            var done = charges.Count(charge => charge.CompletedAt is not null);
            if (done == charges.Count)
                return;
            if (done != lastCount)
                (lastCount, lastProgress) = (done, Tracker.Now);
            else if (Tracker.Now - lastProgress > quietLimit)
                return;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        await _provider.DisposeAsync();
    }
}
