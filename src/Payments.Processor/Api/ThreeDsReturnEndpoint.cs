using Payments.Contracts;
using Payments.Processor.Payments;
using static System.Net.WebUtility;

namespace Payments.Processor.Api;

/// <summary>
/// Where the issuer's 3-D Secure page sends the customer's browser when they are done (Singapay's return address,
/// which names the charge by transaction_id and reference_no). It sends the browser on to the payment's ReturnUrl
/// with the PaymentId and the status, or shows the status itself when the merchant gave none.
/// No key: the browser brings none; both gateway ids must match, and the answer tells no more than the status.
/// </summary>
public static class ThreeDsReturnEndpoint
{
    /// <summary>How long the browser may wait for the issuer's callback to settle the payment before it is sent on.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(100);

    public static RouteHandlerBuilder MapThreeDsReturn(this RouteGroupBuilder payments) =>
        payments.MapGet("/return", Return)
            .AllowAnonymous() // the customer's browser arrives here from the issuer's page
            .WithName("ReturnFromThreeDs")
            .WithSummary("Where the issuer's 3-D Secure page returns the customer: on to the payment's ReturnUrl with paymentId and status")
            .Produces(StatusCodes.Status302Found)
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> Return(
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "transaction_id")] string? transactionId,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "reference_no")] string? referenceNo,
        PaymentQueries queries, TimeProvider clock, HttpContext http)
    {
        if (string.IsNullOrEmpty(transactionId) || string.IsNullOrEmpty(referenceNo))
            return PaymentsEndpoints.Problem(StatusCodes.Status400BadRequest, "Missing ids", "transaction_id and reference_no are both required.");

        var payment = await Find(queries, transactionId, referenceNo);
        if (payment is null)
            return PaymentsEndpoints.Problem(StatusCodes.Status404NotFound, "Unknown payment", "No payment has this transaction_id and reference_no.");

        // The issuer sends its callback as it sends the browser back; a moment usually lets it land first.
        var deadline = clock.GetUtcNow() + SettleWait;
        while (payment.CurrentState == PaymentStatuses.Redirect && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(SettlePoll, clock, http.RequestAborted);
            payment = await queries.Find(payment.CorrelationId) ?? payment;
        }

        var status = payment.CurrentState;
        if (payment.ReturnUrl is { Length: > 0 } returnUrl)
            return Results.Redirect(WithPaymentQuery(returnUrl, payment.CorrelationId, status), permanent: false, preserveMethod: false);
        return Results.Content(StatusPage(payment.MerchantReference, status), "text/html");
    }

    private static async Task<PaymentState?> Find(PaymentQueries queries, string transactionId, string referenceNo)
    {
        var found = await queries.List(p => p.MerchantReference == referenceNo && p.GatewayTransactionId == transactionId, 1);
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>The merchant's URL with paymentId and status added to its query (its fragment kept last).</summary>
    public static string WithPaymentQuery(string returnUrl, Guid paymentId, string status)
    {
        var builder = new UriBuilder(returnUrl);
        var added = $"paymentId={paymentId}&status={Uri.EscapeDataString(status)}";
        builder.Query = builder.Query is { Length: > 1 } query ? $"{query.TrimStart('?')}&{added}" : added;
        return builder.Uri.AbsoluteUri;
    }

    private static string StatusPage(string merchantReference, string status) =>
        $$"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Payment {{HtmlEncode(status)}}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body { font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 32rem; color: #1f2937; }</style></head>
        <body><h1>Payment {{HtmlEncode(status.ToLowerInvariant())}}</h1>
        <p>Order <b>{{HtmlEncode(merchantReference)}}</b>. You can return to the shop.</p></body></html>
        """;
}
