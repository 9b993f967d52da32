using System.Globalization;
using System.Linq.Expressions;
using Payments.Contracts;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>
/// GET /ops/payments: find payments for support and operations, e.g. the stuck ones
/// (<c>?stuckForMinutes=30</c>: not final, and nothing happened to them for that long). Each payment comes with its
/// audit trail. Filters combine (AND); newest first. No authentication: keep /ops off the public internet.
/// </summary>
public static class OpsEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    private static readonly string[] Statuses =
        [PaymentStatuses.Pending, PaymentStatuses.Redirect, PaymentStatuses.Processing, PaymentStatuses.Succeeded, PaymentStatuses.Failed];

    public static IEndpointRouteBuilder MapOpsApi(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/ops").WithTags("Operations");
        ops.MapGet("/payments", ListPayments)
            .WithName("ListPayments")
            .WithSummary("Finds payments, e.g. the stuck ones or those needing reconciliation, newest first, each with its audit trail")
            .Produces<PaymentList>()
            .ProducesValidationProblem()
            .AddOpenApiOperationTransformer(PaymentListParameters.Describe);
        ops.MapResolvePayment();
        return app;
    }

    private static async Task<IResult> ListPayments(HttpRequest request, PaymentQueries queries, TimeProvider clock)
    {
        var query = PaymentListQuery.Parse(request.Query, clock.GetUtcNow());
        if (query.Errors.Count > 0)
            return Results.ValidationProblem(query.Errors, title: "Invalid query",
                detail: "See errors: each names the query parameter and what it accepts.");

        var payments = await queries.List(query.Filter(), query.Limit);
        var baseUrl = $"{request.Scheme}://{request.Host}";
        return Results.Ok(new PaymentList(payments.Count, query.Limit,
            payments.Select(p => PaymentView.From(p, $"{baseUrl}/payments/{p.CorrelationId}/redirect")).ToList()));
    }

    /// <summary>The query string, read and checked. Everything it filters on is a column of every saga store.</summary>
    internal sealed class PaymentListQuery
    {
        public string? MerchantReference { get; private init; }
        public string? Status { get; private init; }
        public DateTimeOffset? From { get; private init; }
        public DateTimeOffset? To { get; private init; }
        /// <summary>Not final, and last changed at or before this instant.</summary>
        public DateTimeOffset? StuckSince { get; private init; }
        public bool? NeedsReconciliation { get; private init; }
        public int Limit { get; private init; } = DefaultLimit;
        public Dictionary<string, string[]> Errors { get; } = [];

        public static PaymentListQuery Parse(IQueryCollection query, DateTimeOffset now)
        {
            var errors = new Dictionary<string, string[]>();
            var merchantReference = Text(query, "merchantReference");
            var statusText = Text(query, "status");
            var status = statusText is null ? null : Statuses.FirstOrDefault(s => s.Equals(statusText, StringComparison.OrdinalIgnoreCase));
            if (statusText is not null && status is null)
                errors["status"] = [$"must be one of {string.Join(", ", Statuses)}"];

            var from = Instant(query, "from", errors);
            var to = Instant(query, "to", errors);
            if (from is not null && to is not null && from >= to)
                errors["to"] = ["must be after 'from'"];

            DateTimeOffset? stuckSince = null;
            if (Text(query, "stuckForMinutes") is { } minutesText)
            {
                if (!int.TryParse(minutesText, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > 525_600)
                    errors["stuckForMinutes"] = ["must be a whole number of minutes from 1 to 525600"];
                else if (status is PaymentStatuses.Succeeded or PaymentStatuses.Failed)
                    errors["stuckForMinutes"] = [$"a {status} payment is final and never stuck: leave out status or pick Pending, Redirect or Processing"];
                else
                    stuckSince = now - TimeSpan.FromMinutes(minutes);
            }

            bool? needsReconciliation = null;
            if (Text(query, "needsReconciliation") is { } flagText)
            {
                if (bool.TryParse(flagText, out var flag))
                    needsReconciliation = flag;
                else
                    errors["needsReconciliation"] = ["must be true or false"];
            }

            var limit = DefaultLimit;
            if (Text(query, "limit") is { } limitText
                && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
                errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];

            foreach (var unknown in query.Keys.Where(k => !Known.Contains(k, StringComparer.OrdinalIgnoreCase)))
                errors[unknown] = [$"is not a filter; use {string.Join(", ", Known)}"];

            var parsed = new PaymentListQuery
            {
                MerchantReference = merchantReference,
                Status = status,
                From = from,
                To = to,
                StuckSince = stuckSince,
                NeedsReconciliation = needsReconciliation,
                Limit = errors.ContainsKey("limit") ? DefaultLimit : limit,
            };
            foreach (var error in errors)
                parsed.Errors[error.Key] = error.Value;
            return parsed;
        }

        private static readonly string[] Known = ["merchantReference", "status", "from", "to", "stuckForMinutes", "needsReconciliation", "limit"];

        /// <summary>One expression of plain comparisons, so any saga store can translate it.</summary>
        public Expression<Func<PaymentState, bool>> Filter()
        {
            var (merchantReference, status, from, to) = (MerchantReference, Status, From, To);
            Expression<Func<PaymentState, bool>> filter = p => true;
            if (merchantReference is not null)
                filter = And(filter, p => p.MerchantReference == merchantReference);
            if (status is not null)
                filter = And(filter, p => p.CurrentState == status);
            if (from is { } start)
                filter = And(filter, p => p.CreatedAt >= start);
            if (to is { } end)
                filter = And(filter, p => p.CreatedAt < end);
            if (NeedsReconciliation is { } flagged)
                filter = And(filter, p => p.NeedsReconciliation == flagged);
            if (StuckSince is { } stuckSince)
                filter = And(filter, p => (p.CurrentState == PaymentStatuses.Pending || p.CurrentState == PaymentStatuses.Redirect
                                           || p.CurrentState == PaymentStatuses.Processing) && p.UpdatedAt <= stuckSince);
            return filter;
        }

        private static Expression<Func<PaymentState, bool>> And(Expression<Func<PaymentState, bool>> left,
            Expression<Func<PaymentState, bool>> right)
        {
            var payment = left.Parameters[0];
            var rightBody = new ParameterReplacer(right.Parameters[0], payment).Visit(right.Body);
            return Expression.Lambda<Func<PaymentState, bool>>(Expression.AndAlso(left.Body, rightBody), payment);
        }

        private static string? Text(IQueryCollection query, string name) =>
            query.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } text ? text.Trim() : null;

        private static DateTimeOffset? Instant(IQueryCollection query, string name, Dictionary<string, string[]> errors)
        {
            if (Text(query, name) is not { } text)
                return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                return instant;
            errors[name] = ["must be an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T08:00:00Z (UTC unless an offset is given)"];
            return null;
        }
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>What GET /ops/payments answers: the payments found (at most <see cref="Limit"/>), newest first.</summary>
public sealed record PaymentList(int Count, int Limit, IReadOnlyList<PaymentView> Payments);
