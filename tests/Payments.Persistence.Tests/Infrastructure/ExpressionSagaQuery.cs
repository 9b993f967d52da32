using System.Linq.Expressions;
using MassTransit;

namespace Payments.Persistence.Tests.Infrastructure;

public sealed class ExpressionSagaQuery<TSaga>(Expression<Func<TSaga, bool>> filter) : ISagaQuery<TSaga>
    where TSaga : class, ISaga
{
    public Expression<Func<TSaga, bool>> FilterExpression => filter;

    public Func<TSaga, bool> GetFilter() => filter.Compile();
}
