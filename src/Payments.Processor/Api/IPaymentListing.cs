using System.Linq.Expressions;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>Payments matching a filter, newest first: as the store at hand can list them.</summary>
public interface IPaymentListing
{
    Task<IReadOnlyList<PaymentState>> List(Expression<Func<PaymentState, bool>> filter, int limit);
}
