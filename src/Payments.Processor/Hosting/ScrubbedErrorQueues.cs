using System.Globalization;
using System.Text;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Payments.Processor.Payments;
using RabbitMQ.Client;

namespace Payments.Processor.Hosting;

/// <summary>
/// Keeps a copy of a message we could not process in the endpoint's <c>_error</c> or <c>_skipped</c> queue, but
/// never the original: the body, the headers and the exception text are scrubbed of card data first
/// (<see cref="CardDataScrubber"/>). This replaces MassTransit's move transports, which copy the original bytes.
/// </summary>
public static class ScrubbedErrorQueues
{
    public const string ErrorSuffix = "_error";
    public const string SkippedSuffix = "_skipped";
    public const string ScrubbedHeader = "Payments-Scrubbed";

    /// <summary>Writes the scrubbed copy; false when the transport keeps nothing at rest (in memory), so nothing was written.</summary>
    public static async Task<bool> Keep(ReceiveContext context, string suffix, Exception? exception,
        IReadOnlyDictionary<string, string>? notes = null)
    {
        if (!context.TryGetPayload(out ChannelContext? channel))
            return false;

        var properties = context.TryGetPayload(out RabbitMqBasicConsumeContext? consume)
            ? new BasicProperties(consume.Properties)
            : new BasicProperties();
        var headers = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (properties.Headers is not null)
            foreach (var (name, value) in properties.Headers)
                headers[name] = ScrubHeader(value);

        headers[ScrubbedHeader] = "card numbers masked, CVV and expiry removed";
        headers["MT-Reason"] = exception is null ? "skip" : "fault";
        headers["MT-Fault-InputAddress"] = context.InputAddress.ToString();
        if (exception is not null)
        {
            var root = exception.GetBaseException();
            headers["MT-Fault-ExceptionType"] = root.GetType().FullName;
            headers["MT-Fault-Message"] = CardDataScrubber.ScrubText(root.Message);
            headers["MT-Fault-StackTrace"] = CardDataScrubber.ScrubText(root.StackTrace);
            headers["MT-Fault-Timestamp"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        }
        foreach (var (name, value) in notes ?? new Dictionary<string, string>())
            headers[name] = CardDataScrubber.ScrubText(value);
        properties.Headers = headers;
        properties.Expiration = null;
        properties.Persistent = true;

        var body = CardDataScrubber.ScrubBody(context.Body.GetBytes());
        // Mandatory: should the queue be gone, the broker returns the copy and the publish fails, so the original is
        // redelivered rather than lost (the queue itself is declared at start, see ErrorQueueDeclarations).
        await channel.BasicPublishAsync(QueueName(context.InputAddress) + suffix, "", true, properties, body, true,
            CancellationToken.None); // once the copy is started it completes, shutdown or not
        return true;
    }

    public static string QueueName(Uri inputAddress) => inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];

    private static object? ScrubHeader(object? value) => value switch
    {
        byte[] bytes => CardDataScrubber.ScrubText(Encoding.UTF8.GetString(bytes)),
        string text => CardDataScrubber.ScrubText(text),
        long or int or decimal => CardDataScrubber.ScrubText(Convert.ToString(value, CultureInfo.InvariantCulture)),
        IEnumerable<object?> list => list.Select(ScrubHeader).ToList(),
        _ => value,
    };
}

/// <summary>
/// An endpoint's error pipe: a scrubbed copy to <c>{queue}_error</c>, and no Fault (it would carry the card). On the
/// <c>payments</c> endpoint it first ends the payment (<see cref="UnprocessableCharges"/>); MassTransit runs the error pipe
/// only once the exception has escaped every retry.
/// </summary>
public sealed partial class ScrubbedErrorTransportFilter(UnprocessableCharges? charges, ILogger<ScrubbedErrorTransportFilter> logger)
    : IFilter<ExceptionReceiveContext>
{
    public const string OutcomeHeader = "Payments-Outcome";

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        // Stopping mid-message: nothing failed, the broker redelivers it after the restart.
        if (context.Exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            throw context.Exception;

        var notes = new Dictionary<string, string>();
        if (charges is not null)
            notes[OutcomeHeader] = await charges.End(context, context.Exception);
        var kept = await ScrubbedErrorQueues.Keep(context, ScrubbedErrorQueues.ErrorSuffix, context.Exception, notes);
        LogFaulted(logger, context.InputAddress, kept, CardDataScrubber.Describe(context.Exception));
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("scrubbed-error-queue");

    [LoggerMessage(Level = LogLevel.Error,
        Message = "A message on {InputAddress} could not be processed; scrubbed copy kept in the error queue: {Kept}. {Error}")]
    private static partial void LogFaulted(ILogger logger, Uri inputAddress, bool kept, string error);
}

/// <summary>An endpoint's dead-letter pipe: what nobody consumed goes to <c>{queue}_skipped</c>, scrubbed.</summary>
public sealed partial class ScrubbedDeadLetterFilter(ILogger<ScrubbedDeadLetterFilter> logger) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        var kept = await ScrubbedErrorQueues.Keep(context, ScrubbedErrorQueues.SkippedSuffix, exception: null);
        LogSkipped(logger, context.InputAddress, kept);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("scrubbed-skipped-queue");

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A message on {InputAddress} had no consumer; scrubbed copy kept in the skipped queue: {Kept}")]
    private static partial void LogSkipped(ILogger logger, Uri inputAddress, bool kept);
}
