using System.Data.Common;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Dialects;

namespace Payments.Persistence;

public static class SagaConcurrencyRetryExtensions
{
    /// <summary>
    /// Retries a message that lost a race: <see cref="ConcurrencyException" /> from the saga repository (another
    /// message changed or created the instance first), <see cref="DbUpdateConcurrencyException" /> from any other
    /// entity with a row version, and database serialization failures/deadlocks. Each retry runs the whole message
    /// again in a new scope and transaction, reloading the instance. Other exceptions are not retried by this
    /// policy; add your own retry for them.
    /// </summary>
    /// <param name="configure">Intervals; by default 10 exponential retries from 10 ms up to 2 s.</param>
    public static void UseSagaConcurrencyRetry(this IConsumePipeConfigurator configurator, Action<IRetryConfigurator>? configure = null)
    {
        configurator.UseMessageRetry(retry =>
        {
            retry.HandleConcurrencyFaults();

            if (configure != null)
                configure(retry);
            else
                retry.Exponential(10, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(25));
        });
    }

    /// <summary>Restricts a retry policy to the exceptions <see cref="IsConcurrencyFault" /> recognises.</summary>
    public static IExceptionConfigurator HandleConcurrencyFaults(this IExceptionConfigurator configurator)
    {
        configurator.Handle<ConcurrencyException>();
        configurator.Handle<DbUpdateConcurrencyException>();
        configurator.Handle<DbUpdateException>(DatabaseErrors.IsTransientConflict);
        configurator.Handle<DbException>(DatabaseErrors.IsTransientConflict);
        return configurator;
    }

    /// <summary>True for the faults that mean "another message got there first; run again".</summary>
    public static bool IsConcurrencyFault(Exception exception)
    {
        return exception is ConcurrencyException or DbUpdateConcurrencyException || DatabaseErrors.IsTransientConflict(exception);
    }
}
