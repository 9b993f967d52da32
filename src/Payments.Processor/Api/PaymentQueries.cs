using MassTransit;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>Reads payments through MassTransit's saga repository interfaces, so one reader serves every store.</summary>
public sealed class PaymentQueries(ILoadSagaRepository<PaymentState> load, IQuerySagaRepository<PaymentState> query)
{
    public Task<PaymentState?> Find(Guid paymentId) => load.Load(paymentId);

    public async Task<IReadOnlyList<PaymentState>> List(System.Linq.Expressions.Expression<Func<PaymentState, bool>> filter, int limit)
    {
        var ids = await query.Find(new MassTransit.Saga.SagaQuery<PaymentState>(filter));
        var payments = new List<PaymentState>();
        foreach (var id in ids)
        {
            if (await load.Load(id) is { } payment)
                payments.Add(payment);
        }
        return payments.OrderByDescending(p => p.CreatedAt).Take(limit).ToList();
    }
}
