using Microsoft.AspNetCore.Http.Features;

namespace Payments.Processor.Observability;

public static class RequestTelemetry
{
    /// <summary>
    /// ASP.NET Core's request span carries no tags of its own (the instrumentation package adds them, and it isn't
    /// used here). This names it "{method} {route}" and adds the method, path, route, status and, for /payments/{id}
    /// routes, <c>payment.id</c>. Put it first in the pipeline, so it sees the final status code.
    /// </summary>
    public static IApplicationBuilder UsePaymentsRequestTelemetry(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                Tag(context);
            }
        });

    private static void Tag(HttpContext context)
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is not { IsAllDataRequested: true } span)
            return;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        span.DisplayName = route is null ? context.Request.Method : $"{context.Request.Method} {route}";
        span.SetTag("http.request.method", context.Request.Method);
        span.SetTag("url.path", context.Request.Path.Value);
        if (route is not null)
            span.SetTag("http.route", route);
        span.SetTag("http.response.status_code", context.Response.StatusCode);
        if (route?.StartsWith("/payments/", StringComparison.Ordinal) == true
            && context.GetRouteValue("id") is string id && Guid.TryParse(id, out var paymentId))
            span.SetTag(PaymentsTelemetry.PaymentIdTag, paymentId.ToString());
    }
}
