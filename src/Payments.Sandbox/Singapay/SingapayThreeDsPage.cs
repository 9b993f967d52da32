using System.Globalization;
using static System.Net.WebUtility;

namespace Payments.Sandbox.Singapay;

/// <summary>
/// The simulated issuer's 3-D Secure page as a cardholder sees it: a test-mode banner, the merchant, the amount, the
/// masked card, a one-time-password field, the time left and Confirm / Cancel. Plain HTML and CSS, a few lines of script
/// for the countdown only.
/// </summary>
internal static class SingapayThreeDsPage
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    public static string Challenge(SingapayLedgerEntry payment, SingapaySandboxOptions options, TimeSpan left, string? error)
    {
        var seconds = (int)Math.Max(0, left.TotalSeconds);
        var errorLine = error is null ? "" : $"""<p class="error" role="alert">{HtmlEncode(error)}</p>""";
        return Layout("Verify your payment", $$"""
            <p class="lead">Enter the one-time password sent to your phone to confirm this payment.</p>
            <dl>
              <dt>Merchant</dt><dd id="merchant">{{HtmlEncode(options.MerchantName)}}</dd>
              <dt>Order</dt><dd>{{HtmlEncode(payment.ReferenceNo)}}</dd>
              <dt>Amount</dt><dd id="amount" class="amount">{{Amount(payment.Amount)}}</dd>
              <dt>Card</dt><dd id="card">{{HtmlEncode(payment.CardMasked)}}</dd>
            </dl>
            {{errorLine}}
            <form method="post" id="challenge" autocomplete="off">
              <label for="otp">One-time password</label>
              <input id="otp" name="otp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required autofocus placeholder="••••••">
              <p class="hint">Sandbox: the one-time password is <b>{{HtmlEncode(options.ThreeDsOtp)}}</b>.</p>
              <p class="countdown">Time left: <b id="countdown" data-seconds="{{seconds}}">{{seconds / 60}}:{{seconds % 60:00}}</b></p>
              <div class="buttons">
                <button type="submit" name="action" value="confirm" id="confirm" class="primary">Confirm</button>
                <button type="submit" name="action" value="cancel" id="cancel" formnovalidate>Cancel</button>
              </div>
            </form>
            <script>
              (function () {
                var el = document.getElementById('countdown'), left = +el.dataset.seconds;
                function show() {
                  el.textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
                  if (left <= 0) { document.getElementById('confirm').disabled = true; el.textContent = 'expired'; return; }
                  left--; setTimeout(show, 1000);
                }
                show();
              })();
            </script>
            """);
    }

    public static string Outcome(string title, string message) =>
        Layout(title, $"""<p class="lead" id="outcome">{HtmlEncode(message)}</p>""");

    private static string Amount(decimal amount) => "IDR " + amount.ToString("N0", Indonesian);

    private static string Layout(string title, string body) =>
        $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{HtmlEncode(title)}} · Singapay Secure</title>
        <style>
          * { box-sizing: border-box; }
          body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #eef2f7; color: #1f2937; }
          .test-mode { background: #f59e0b; color: #111827; text-align: center; font-weight: 700; padding: .5rem; letter-spacing: .04em; }
          .card { max-width: 26rem; margin: 2rem auto; background: #fff; border-radius: 12px; box-shadow: 0 6px 24px rgba(15, 23, 42, .12); overflow: hidden; }
          header { background: #0b3d91; color: #fff; padding: 1rem 1.5rem; display: flex; justify-content: space-between; align-items: center; }
          header .bank { font-weight: 700; font-size: 1.1rem; }
          header .secure { font-size: .8rem; opacity: .85; }
          main { padding: 1.25rem 1.5rem 1.5rem; }
          h1 { font-size: 1.25rem; margin: 0 0 .5rem; }
          .lead { color: #4b5563; margin: 0 0 1rem; }
          dl { display: grid; grid-template-columns: 6rem 1fr; gap: .4rem .75rem; margin: 0 0 1rem; padding: .75rem; background: #f8fafc; border-radius: 8px; }
          dt { color: #6b7280; } dd { margin: 0; font-weight: 600; }
          .amount { color: #0b3d91; }
          label { display: block; font-weight: 600; margin-bottom: .35rem; }
          input { width: 100%; font-size: 1.4rem; letter-spacing: .5rem; padding: .5rem .75rem; border: 1px solid #cbd5e1; border-radius: 8px; }
          .hint { font-size: .8rem; color: #6b7280; margin: .35rem 0 .75rem; }
          .countdown { margin: 0 0 1rem; color: #374151; }
          .error { background: #fee2e2; color: #991b1b; padding: .6rem .75rem; border-radius: 8px; }
          .buttons { display: flex; gap: .75rem; }
          button { flex: 1; font-size: 1rem; padding: .7rem; border-radius: 8px; border: 1px solid #cbd5e1; background: #fff; cursor: pointer; }
          button.primary { background: #0b3d91; color: #fff; border-color: #0b3d91; }
          button:disabled { opacity: .5; cursor: not-allowed; }
        </style></head>
        <body>
        <div class="test-mode" id="test-mode">TEST MODE · Singapay sandbox · no real card is charged</div>
        <div class="card">
          <header><span class="bank">Singapay Secure</span><span class="secure">3-D Secure</span></header>
          <main><h1>{{HtmlEncode(title)}}</h1>
        {{body}}
          </main>
        </div>
        </body></html>
        """;
}
