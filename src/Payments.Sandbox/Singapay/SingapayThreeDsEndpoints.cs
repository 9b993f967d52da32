using System.Security.Cryptography;
using System.Text;
using static System.Net.WebUtility;
using static Payments.Sandbox.Singapay.SingapayResponses;

namespace Payments.Sandbox.Singapay;

/// <summary>
/// The simulated issuer's 3-D Secure page: GET /singapay/3ds/{transaction_id} shows the challenge
/// (<see cref="SingapayThreeDsPage"/>); its form POSTs back action=confirm with the one-time password, or action=cancel.
/// A right password makes the payment succeed, Cancel (or too many wrong passwords) makes it fail; either way a
/// callback is sent and the browser goes to the merchant's return address
/// (<see cref="SingapaySandboxOptions.ThreeDsReturnUrl"/>) with transaction_id and reference_no.
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

    private static IResult Show(string transactionId, SingapayLedger ledger, SandboxOptions options, TimeProvider clock) =>
        ledger.FindByTransactionId(transactionId) is not { } payment
            ? Html(404, SingapayThreeDsPage.Outcome("Unknown payment", "No payment with this transaction id."))
            : payment.Status != SingapayStatus.Pending
                ? Html(409, SingapayThreeDsPage.Outcome("Already completed", $"This payment is already {payment.Status}."))
                : Html(200, SingapayThreeDsPage.Challenge(payment, options.Singapay, TimeLeft(payment, options, clock), error: null));

    private static async Task<IResult> DecideAsync(string transactionId, HttpContext http, SingapaySimulator simulator,
        SingapayLedger ledger, SandboxOptions options, TimeProvider clock)
    {
        if (!http.Request.HasFormContentType)
            return Html(400, SingapayThreeDsPage.Outcome("Not a form", "Expected a form post."));
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var action = form["action"].ToString();
        if (action is not ("confirm" or "cancel"))
            return Html(400, SingapayThreeDsPage.Outcome("Unknown action", "action must be confirm or cancel."));
        if (ledger.FindByTransactionId(transactionId) is not { } payment)
            return Html(404, SingapayThreeDsPage.Outcome("Unknown payment", "No payment with this transaction id."));

        if (action == "confirm" && payment.Status == SingapayStatus.Pending)
        {
            if (TimeLeft(payment, options, clock) <= TimeSpan.Zero)
                return Html(409, SingapayThreeDsPage.Outcome("Time is up", "The time to confirm this payment has run out. Return to the shop to try again."));
            if (!IsTheOtp(form["otp"].ToString(), options.Singapay.ThreeDsOtp))
            {
                var left = simulator.RejectOtp(transactionId, options.Singapay.ThreeDsOtpAttempts);
                if (left > 0)
                    return Html(422, SingapayThreeDsPage.Challenge(payment, options.Singapay, TimeLeft(payment, options, clock),
                        $"The one-time password is incorrect. {left} {(left == 1 ? "attempt" : "attempts")} left."));
                return Finished(options, payment, "Authentication failed", "The one-time password was wrong too many times. The payment failed.");
            }
        }

        var decided = simulator.CompleteThreeDs(transactionId, confirmed: action == "confirm", out var changed);
        if (decided is null)
            return Html(404, SingapayThreeDsPage.Outcome("Unknown payment", "No payment with this transaction id."));
        if (!changed)
            return Html(409, SingapayThreeDsPage.Outcome("Already completed", $"This payment is already {decided.Status}."));
        return action == "confirm"
            ? Finished(options, decided, "Payment confirmed", "Authentication confirmed. The payment succeeded.")
            : Finished(options, decided, "Payment cancelled", "Authentication cancelled. The payment failed.");
    }

    /// <summary>Sends the browser back to the merchant, as an issuer's page does, or says how it ended when there is nowhere to go.</summary>
    private static IResult Finished(SandboxOptions options, SingapayLedgerEntry payment, string title, string message)
    {
        if (options.Singapay.ThreeDsReturnUrl is not { Length: > 0 } returnUrl)
            return Html(200, SingapayThreeDsPage.Outcome(title, message + " You may close this window."));
        var separator = returnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect(
            $"{returnUrl}{separator}transaction_id={Uri.EscapeDataString(payment.TransactionId)}&reference_no={Uri.EscapeDataString(payment.ReferenceNo)}");
    }

    private static TimeSpan TimeLeft(SingapayLedgerEntry payment, SandboxOptions options, TimeProvider clock) =>
        payment.CreatedAt + options.Singapay.ThreeDsWindow - clock.GetUtcNow();

    private static bool IsTheOtp(string entered, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(entered.Trim()), Encoding.UTF8.GetBytes(expected));
}
