using System.Linq.Expressions;
using MassTransit;
using MassTransit.Saga;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>The embedded store is process memory: filtering every instance is what there is.</summary>
public sealed class SagaRepositoryPaymentListing(ILoadSagaRepository<PaymentState> load, IQuerySagaRepository<PaymentState> query)
    : IPaymentListing
{
    public async Task<IReadOnlyList<PaymentState>> List(Expression<Func<PaymentState, bool>> filter, int limit)
    {
        var payments = new List<PaymentState>();
        foreach (var id in await query.Find(new SagaQuery<PaymentState>(filter)))
        {
            if (await load.Load(id) is { } payment)
                payments.Add(payment);
        }
        return payments.OrderByDescending(p => p.CreatedAt).Take(limit).ToList();
    }
}
