using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Persistence.Scheduling;

/// <summary>
/// Sends scheduled messages when they are due. Due-ness is judged by the injected <see cref="TimeProvider"/>; the
/// polling itself runs on real time. Each batch is claimed so that other dispatchers (other processes on the same
/// database) skip it, sent, then deleted in the claim's transaction. A crash between send and commit sends the batch
/// again later: delivery is at least once, and the saga ignores a message whose token is no longer current.
/// </summary>
public sealed partial class ScheduledMessageDispatcher : BackgroundService
{
    public const string MeterName = "Payments";
    public const string LagInstrumentName = "payments.scheduler.lag";

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IBus _bus;
    private readonly DurableSchedulingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScheduledMessageDispatcher> _logger;
    private readonly Histogram<double> _lag;
    private readonly ScheduledMessageSignal? _signal;

    public ScheduledMessageDispatcher(IServiceScopeFactory scopeFactory, IBus bus, IOptions<DurableSchedulingOptions> options,
        TimeProvider timeProvider, IMeterFactory meterFactory, ILogger<ScheduledMessageDispatcher> logger)
        : this(scopeFactory, bus, options, timeProvider, meterFactory, logger, signal: null)
    {
    }

    internal ScheduledMessageDispatcher(IServiceScopeFactory scopeFactory, IBus bus, IOptions<DurableSchedulingOptions> options,
        TimeProvider timeProvider, IMeterFactory meterFactory, ILogger<ScheduledMessageDispatcher> logger, ScheduledMessageSignal? signal)
    {
        _scopeFactory = scopeFactory;
        _bus = bus;
        _options = options.Value;
        _options.Validate();
        _timeProvider = timeProvider;
        _logger = logger;
        _signal = signal;
        _lag = meterFactory.Create(MeterName).CreateHistogram<double>(LagInstrumentName, unit: "s",
            description: "How late scheduled messages were sent: dispatch time minus due time.");
    }

    /// <summary>Sends every message due now, batch by batch. Returns how many were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        int total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            (int claimed, int sent) = await DispatchBatchAsync(cancellationToken).ConfigureAwait(false);
            total += sent;

            // A short batch means nothing more is due; a batch that sent nothing would only be claimed again.
            if (claimed < _options.BatchSize || sent == 0)
            {
                break;
            }
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            _signal?.TakeEarliestDueAt();
            try
            {
                await DispatchDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogDispatchFailed(_logger, exception);
            }

            await WaitForNextPollAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<(int Claimed, int Sent)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = _scopeFactory.CreateAsyncScope();
        IScheduledMessageStore store = scope.ServiceProvider.GetRequiredService<IScheduledMessageStore>();

        DateTimeOffset now = _timeProvider.GetUtcNow();
        await using IScheduledMessageClaim claim = await store.ClaimDueAsync(now, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        if (claim.Messages.Count == 0)
        {
            return (0, 0);
        }

        var sent = new List<Guid>(claim.Messages.Count);
        foreach (ScheduledMessage message in claim.Messages)
        {
            if (await TrySendAsync(message, now, cancellationToken).ConfigureAwait(false))
            {
                sent.Add(message.TokenId);
                _lag.Record(Math.Max(0, (now - message.DueAt).TotalSeconds));
            }
        }

        await claim.CompleteAsync(sent, cancellationToken).ConfigureAwait(false);
        return (claim.Messages.Count, sent.Count);
    }

    private async Task<bool> TrySendAsync(ScheduledMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            ISendEndpoint endpoint = await _bus.GetSendEndpoint(new Uri(message.DestinationAddress)).ConfigureAwait(false);
            await endpoint.Send(new SerializedMessageBody(), new ScheduledMessageSendPipe(message, now), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The body may hold anything the sender put in it, so it stays out of the log.
            LogSendFailed(_logger, exception, message.TokenId, message.MessageType, message.DestinationAddress);
            return false;
        }
    }

    private async Task WaitForNextPollAsync(CancellationToken stoppingToken)
    {
        Task poll = Task.Delay(_options.PollInterval, stoppingToken);
        if (_signal is not null && await Task.WhenAny(poll, _signal.WaitAsync()).ConfigureAwait(false) != poll)
        {
            // Woken by a new schedule: go now if it is due, else sleep until it is or the poll ends, whichever is first.
            DateTimeOffset? earliest = _signal.TakeEarliestDueAt();
            TimeSpan untilDue = earliest is { } dueAt ? dueAt - _timeProvider.GetUtcNow() : TimeSpan.Zero;
            if (untilDue > TimeSpan.Zero)
            {
                TimeSpan wait = untilDue < _options.PollInterval ? untilDue : _options.PollInterval;
                await Task.WhenAny(poll, Task.Delay(wait, stoppingToken)).ConfigureAwait(false);
            }

            return;
        }

        await poll.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching scheduled messages failed; retrying after the poll interval")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending scheduled message {TokenId} ({MessageType}) to {Destination} failed; it stays scheduled")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, Guid tokenId, string messageType, string destination);
}
