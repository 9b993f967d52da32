using System.Linq.Expressions;
using MassTransit;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>
/// Reads payments. A single payment comes through MassTransit's saga repository interface, so one reader serves
/// every store; listings come from the store's own <see cref="IPaymentListing"/>.
/// </summary>
public sealed class PaymentQueries(ILoadSagaRepository<PaymentState> load, IPaymentListing listing)
{
    public async Task<PaymentState?> Find(Guid paymentId) => await load.Load(paymentId);

    public Task<IReadOnlyList<PaymentState>> List(Expression<Func<PaymentState, bool>> filter, int limit) => listing.List(filter, limit);
}
