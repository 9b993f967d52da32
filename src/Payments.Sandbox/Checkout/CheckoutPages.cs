using System.Globalization;
using System.Text;
using System.Text.Json;
using static System.Net.WebUtility;

namespace Payments.Sandbox.Checkout;

/// <summary>The demo shop's pages: plain HTML and CSS, a line of script only to copy a test card into the form.</summary>
internal static class CheckoutPages
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    /// <summary>The sandbox's test cards, as docs/sandbox-test-cards.md lists them.</summary>
    private static readonly (string Number, string Outcome)[] TestCards =
    [
        ("4111 1111 1111 1111", "succeeds at once"),
        ("4000 0000 0000 3220", "asks for 3-D Secure (one-time password 123456)"),
        ("4000 0000 0000 0002", "declined by the issuer"),
        ("4000 0000 0000 0051", "insufficient funds"),
        ("4000 0000 0000 0119", "gateway times out, the charge went through"),
    ];

    public static string Form(CheckoutForm form, IReadOnlyList<string> errors)
    {
        var errorList = errors.Count == 0
            ? ""
            : $"""<ul class="errors" id="errors" role="alert">{string.Concat(errors.Select(e => $"<li>{HtmlEncode(e)}</li>"))}</ul>""";
        var cards = new StringBuilder();
        foreach (var (number, outcome) in TestCards)
            cards.Append(CultureInfo.InvariantCulture,
                $"""<li><button type="button" class="use" data-card="{number}">{number}</button><span>{HtmlEncode(outcome)}</span></li>""");
        return Layout("Checkout", $$"""
            <div class="columns">
            <form method="post" action="/checkout" id="checkout" class="panel" autocomplete="off">
              <h1>Pay for your order</h1>
              {{errorList}}
              <label for="reference">Shop reference</label>
              <input id="reference" name="reference" value="{{HtmlEncode(form.Reference)}}" required maxlength="100">
              <label for="amount">Amount (IDR)</label>
              <input id="amount" name="amount" value="{{HtmlEncode(form.Amount)}}" required inputmode="numeric">
              <label for="holderName">Name on card</label>
              <input id="holderName" name="holderName" value="{{HtmlEncode(form.HolderName)}}" required maxlength="45">
              <label for="cardNumber">Card number</label>
              <input id="cardNumber" name="cardNumber" value="{{HtmlEncode(form.CardNumber)}}" required inputmode="numeric" placeholder="4111 1111 1111 1111">
              <div class="row">
                <div><label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" value="{{HtmlEncode(form.Expiry)}}" required placeholder="12/29"></div>
                <div><label for="cvv">CVV</label><input id="cvv" name="cvv" value="{{HtmlEncode(form.Cvv)}}" required inputmode="numeric" maxlength="4" placeholder="123"></div>
              </div>
              <button type="submit" id="pay" class="primary">Pay</button>
              <p class="fine">The card goes to this shop's server in the form post, and from there to the payment processor; it is never stored.</p>
            </form>
            <aside class="panel" id="test-cards">
              <h2>Test cards</h2>
              <p>Any future expiry and any 3-digit CVV.</p>
              <ul class="cards">{{cards}}</ul>
            </aside>
            </div>
            <script>
              document.querySelectorAll('button.use').forEach(function (b) {
                b.addEventListener('click', function () { document.getElementById('cardNumber').value = b.dataset.card; });
              });
            </script>
            """);
    }

    public static string Result(JsonElement payment)
    {
        var status = payment.GetProperty("status").GetString() ?? "";
        var final = status is "Succeeded" or "Failed";
        var (headline, tone) = status switch
        {
            "Succeeded" => ("Payment successful", "ok"),
            "Failed" => ("Payment failed", "failed"),
            _ => ("Payment in progress", "pending"),
        };
        var reason = status == "Failed" && Text(payment, "failureReason") is { } why
            ? $"""<p class="reason" id="reason">{HtmlEncode(why)} <span class="code">({HtmlEncode(Text(payment, "failureCode") ?? "")})</span></p>"""
            : "";
        var refresh = final ? "" : """<meta http-equiv="refresh" content="1">""";
        return Layout(headline, $$"""
            <div class="panel result {{tone}}">
              <h1 id="status" data-status="{{HtmlEncode(status)}}">{{headline}}</h1>
              {{reason}}
              <dl>
                <dt>Order</dt><dd id="reference">{{HtmlEncode(Text(payment, "merchantReference") ?? "")}}</dd>
                <dt>Amount</dt><dd>{{Amount(payment.GetProperty("amount").GetInt64())}}</dd>
                <dt>Card</dt><dd>{{HtmlEncode(Text(payment, "cardMasked") ?? "")}}</dd>
                <dt>Status</dt><dd>{{HtmlEncode(status)}}</dd>
                <dt>Payment id</dt><dd class="code" id="payment-id">{{payment.GetProperty("paymentId").GetGuid()}}</dd>
              </dl>
              <p><a href="/checkout">Make another payment</a></p>
            </div>
            """, refresh);
    }

    public static string Message(string title, string message) =>
        Layout(title, $"""<div class="panel"><h1>{HtmlEncode(title)}</h1><p>{HtmlEncode(message)}</p><p><a href="/checkout">Back to the checkout</a></p></div>""");

    private static string? Text(JsonElement payment, string property) =>
        payment.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Amount(long amount) => "IDR " + amount.ToString("N0", Indonesian);

    private static string Layout(string title, string body, string head = "") =>
        $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{HtmlEncode(title)}} · Demo shop</title>{{head}}
        <style>
          * { box-sizing: border-box; }
          body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f5f5f4; color: #1c1917; }
          .test-mode { background: #f59e0b; text-align: center; font-weight: 700; padding: .5rem; letter-spacing: .04em; }
          .shop { background: #14532d; color: #fff; padding: .9rem 1.5rem; font-weight: 700; font-size: 1.15rem; }
          .columns { display: flex; flex-wrap: wrap; gap: 1.5rem; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; align-items: flex-start; }
          .panel { background: #fff; border-radius: 12px; box-shadow: 0 4px 18px rgba(0, 0, 0, .08); padding: 1.5rem; }
          main > .panel { max-width: 30rem; margin: 2rem auto; }
          form.panel { flex: 1 1 24rem; }
          aside.panel { flex: 1 1 18rem; }
          h1 { font-size: 1.35rem; margin: 0 0 1rem; } h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
          label { display: block; font-weight: 600; margin: .75rem 0 .3rem; font-size: .9rem; }
          input { width: 100%; font-size: 1rem; padding: .55rem .7rem; border: 1px solid #d6d3d1; border-radius: 8px; }
          .row { display: flex; gap: 1rem; } .row > div { flex: 1; }
          button.primary { width: 100%; margin-top: 1.25rem; font-size: 1.05rem; padding: .75rem; border: 0; border-radius: 8px; background: #15803d; color: #fff; cursor: pointer; }
          .fine { font-size: .8rem; color: #78716c; }
          .errors { background: #fee2e2; color: #991b1b; border-radius: 8px; padding: .6rem 1.5rem; margin: 0 0 .5rem; }
          ul.cards { list-style: none; padding: 0; margin: 0; }
          ul.cards li { display: flex; flex-direction: column; gap: .2rem; padding: .5rem 0; border-top: 1px solid #e7e5e4; }
          button.use { align-self: flex-start; font-family: ui-monospace, monospace; font-size: .95rem; padding: .3rem .5rem; border: 1px solid #d6d3d1; border-radius: 6px; background: #fafaf9; cursor: pointer; }
          ul.cards span { font-size: .85rem; color: #57534e; }
          dl { display: grid; grid-template-columns: 7rem 1fr; gap: .4rem .75rem; }
          dt { color: #78716c; } dd { margin: 0; font-weight: 600; }
          .code { font-family: ui-monospace, monospace; font-size: .85rem; font-weight: 400; }
          .result.ok h1 { color: #15803d; } .result.failed h1 { color: #b91c1c; } .result.pending h1 { color: #b45309; }
          .reason { background: #fef2f2; padding: .6rem .75rem; border-radius: 8px; }
          a { color: #15803d; }
        </style></head>
        <body>
        <div class="test-mode">TEST MODE · sandbox gateways · no real card is charged</div>
        <div class="shop">Demo shop</div>
        <main>
        {{body}}
        </main>
        </body></html>
        """;
}
