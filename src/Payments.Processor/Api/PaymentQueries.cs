using System.Linq.Expressions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Payments.Processor.Payments;
using Payments.Processor.Persistence;

namespace Payments.Processor.Api;

/// <summary>
/// Reads payments. A single payment comes through MassTransit's saga repository interface, so one reader serves
/// every store; listings filter, order and limit in the database when there is one.
/// </summary>
public sealed class PaymentQueries(ILoadSagaRepository<PaymentState> load, IQuerySagaRepository<PaymentState> query, IServiceProvider services)
{
    public async Task<PaymentState?> Find(Guid paymentId) => await load.Load(paymentId);

    public async Task<IReadOnlyList<PaymentState>> List(Expression<Func<PaymentState, bool>> filter, int limit)
    {
        if (services.GetService<PaymentsDbContext>() is { } db)
        {
            return await db.Set<PaymentState>().AsNoTracking()
                .Where(filter)
                .OrderByDescending(p => p.CreatedAt)
                .Take(limit)
                .ToListAsync();
        }

        // The embedded store is process memory: filtering every instance is what there is.
        var payments = new List<PaymentState>();
        foreach (var id in await query.Find(new MassTransit.Saga.SagaQuery<PaymentState>(filter)))
        {
            if (await load.Load(id) is { } payment)
                payments.Add(payment);
        }
        return payments.OrderByDescending(p => p.CreatedAt).Take(limit).ToList();
    }
}
