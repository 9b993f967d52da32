using static System.Net.WebUtility;
using static Payments.Sandbox.Singapay.SingapayResponses;

namespace Payments.Sandbox.Singapay;

/// <summary>
/// The simulated issuer's 3-D Secure page: GET /singapay/3ds/{transaction_id} shows Confirm and Cancel buttons,
/// which POST back (form field action=confirm|cancel). Confirming makes the payment succeed, cancelling makes it
/// fail; either way a callback is sent.
/// </summary>
internal static class SingapayThreeDsEndpoints
{
    public static void Map(RouteGroupBuilder singapay)
    {
        singapay.MapGet("/3ds/{transactionId}", Show);
        singapay.MapPost("/3ds/{transactionId}", DecideAsync);
    }

    /// <summary>What html_form and payment_url carry: a form that sends the browser to the 3DS page at once.</summary>
    public static string AutoSubmitForm(string threeDsUrl) =>
        $"""
        <html><body onload="document.getElementById('singapay-3ds').submit()">
        <form id="singapay-3ds" method="get" action="{HtmlEncode(threeDsUrl)}">
        <noscript><button type="submit">Continue to 3-D Secure</button></noscript>
        </form></body></html>
        """;

    private static IResult Show(string transactionId, SingapayLedger ledger)
    {
        var payment = ledger.Find(transactionId);
        if (payment is null || payment.TransactionId != transactionId)
            return Html(404, Page("Unknown payment", "<p>No payment with this transaction id.</p>"));
        if (payment.Status != SingapayStatus.Pending)
            return Html(409, Page("3-D Secure", $"<p>This payment is already <b>{HtmlEncode(payment.Status)}</b>.</p>"));

        return Html(200, Page("3-D Secure", $"""
            <p>Merchant reference <b>{HtmlEncode(payment.ReferenceNo)}</b></p>
            <p>Amount <b>IDR {payment.Amount:N0}</b>, card <b>{HtmlEncode(payment.CardMasked)}</b></p>
            <form method="post">
              <button type="submit" name="action" value="confirm">Confirm</button>
              <button type="submit" name="action" value="cancel">Cancel</button>
            </form>
            """));
    }

    private static async Task<IResult> DecideAsync(string transactionId, HttpContext http, SingapaySimulator simulator)
    {
        if (!http.Request.HasFormContentType)
            return Html(400, Page("3-D Secure", "<p>Expected a form post.</p>"));
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var action = form["action"].ToString();
        if (action is not ("confirm" or "cancel"))
            return Html(400, Page("3-D Secure", "<p>action must be confirm or cancel.</p>"));

        var payment = simulator.CompleteThreeDs(transactionId, confirmed: action == "confirm", out var changed);
        if (payment is null || payment.TransactionId != transactionId)
            return Html(404, Page("Unknown payment", "<p>No payment with this transaction id.</p>"));
        if (!changed)
            return Html(409, Page("3-D Secure", $"<p>This payment is already <b>{HtmlEncode(payment.Status)}</b>.</p>"));
        return Html(200, Page("3-D Secure", action == "confirm"
            ? "<p>Authentication confirmed. The payment succeeded; you may close this window.</p>"
            : "<p>Authentication cancelled. The payment failed; you may close this window.</p>"));
    }

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{HtmlEncode(title)} · Singapay sandbox</title></head>" +
        $"<body><h1>{HtmlEncode(title)}</h1>{body}</body></html>";
}
