using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Persistence.Outbox;

/// <summary>
/// Removes <see cref="InboxState" /> rows delivered longer ago than the duplicate-detection window. A message
/// redelivered after that is no longer recognised as a duplicate, so the window must exceed the longest
/// redelivery delay the endpoints use.
/// </summary>
public class InboxCleanupService<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    private readonly ILogger _logger;
    private readonly InboxCleanupServiceOptions _options;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly TimeProvider _timeProvider;

    public InboxCleanupService(IServiceScopeFactory scopeFactory, IOptions<InboxCleanupServiceOptions> options, TimeProvider timeProvider,
        ILogger<InboxCleanupService<TDbContext>> logger)
    {
        _scopeFactory = scopeFactory;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await RemoveExpiredAsync(stoppingToken).ConfigureAwait(false);
                if (removed >= _options.QueryMessageLimit)
                    continue;

                await Task.Delay(_options.QueryDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                OutboxLog.InboxCleanupFaulted(_logger, exception);
                await Task.Delay(_options.QueryDelay, _timeProvider, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes up to QueryMessageLimit expired rows; returns how many were removed.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.QueryTimeout);

        var expiredBefore = _timeProvider.GetUtcNow().UtcDateTime - _options.DuplicateDetectionWindow;

        var removed = await dbContext.Set<InboxState>()
            .Where(x => x.Delivered != null && x.Delivered < expiredBefore)
            .OrderBy(x => x.Delivered)
            .Take(_options.QueryMessageLimit)
            .ExecuteDeleteAsync(timeout.Token)
            .ConfigureAwait(false);

        if (removed > 0)
            OutboxLog.InboxRowsRemoved(_logger, removed);

        return removed;
    }
}
