using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Net.Http.Headers;

namespace Payments.Processor.Api;

/// <summary>
/// Any endpoint that can't reach the database answers 503 with <c>Retry-After</c>, not 500: a client, or a gateway
/// delivering a callback (Singapay retries a 500 only once), should come back rather than give up.
/// </summary>
public sealed partial class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception))
            return false;

        // The type only: a provider's message can quote the server or the user name.
        DatabaseUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = $"The payments database can't be reached right now. Nothing was changed; retry in {RetryAfterSeconds} seconds.",
            },
        });
    }

    /// <summary>Anywhere in the chain: MassTransit and EF wrap what the provider threw.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or RetryLimitExceededException or TimeoutException or SocketException)
                return true;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDatabaseUnavailable))
                return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: database unavailable ({ExceptionType}), answered 503")]
    private static partial void DatabaseUnavailable(ILogger logger, string method, string path, string exceptionType);
}
