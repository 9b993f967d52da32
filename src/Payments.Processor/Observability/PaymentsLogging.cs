using Microsoft.Extensions.Logging.Console;

namespace Payments.Processor.Observability;

public static class PaymentsLogging
{
    /// <summary>
    /// Every log line carries the trace and span it was written in (next to the {PaymentId} most messages name), and
    /// the console shows scopes: MassTransit's message ids, ASP.NET Core's request id, the trace ids. Choose the JSON
    /// console for machines with Logging:Console:FormatterName=json.
    /// </summary>
    public static ILoggingBuilder AddPaymentsLogging(this ILoggingBuilder logging)
    {
        logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = true);
        logging.Services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        return logging;
    }
}
