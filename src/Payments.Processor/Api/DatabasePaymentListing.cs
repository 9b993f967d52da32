using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Payments.Processor.Payments;
using Payments.Processor.Persistence;

namespace Payments.Processor.Api;

/// <summary>Filters, orders and limits in the database.</summary>
public sealed class DatabasePaymentListing(PaymentsDbContext db) : IPaymentListing
{
    public async Task<IReadOnlyList<PaymentState>> List(Expression<Func<PaymentState, bool>> filter, int limit) =>
        await db.Set<PaymentState>().AsNoTracking()
            .Where(filter)
            .OrderByDescending(p => p.CreatedAt)
            .Take(limit)
            .ToListAsync();
}
