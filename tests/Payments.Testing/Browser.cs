using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Payments.Testing;

/// <summary>What a customer's browser does with a 3-D Secure payment: open our redirect page, follow its form, decide.</summary>
public static class Browser
{
    public static async Task CompleteThreeDs(JsonElement payment, string action = "confirm") =>
        await Decide(await OpenThreeDs(payment), action);

    /// <summary>Opens the payment's redirect page and follows its form: returns the issuer's 3-D Secure page.</summary>
    public static async Task<string> OpenThreeDs(JsonElement payment)
    {
        var pageUrl = payment.GetProperty("redirect").GetProperty("pageUrl").GetString()!;
        using var browser = new HttpClient();
        var redirectPage = await browser.GetStringAsync(pageUrl, TestContext.Current.CancellationToken);
        var threeDsUrl = WebUtility.HtmlDecode(Regex.Match(redirectPage, "action=\"([^\"]+)\"").Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(threeDsUrl), "the redirect page has no form action");
        return threeDsUrl;
    }

    /// <summary>Presses Confirm or Cancel on the issuer's page.</summary>
    public static async Task Decide(string threeDsUrl, string action)
    {
        using var browser = new HttpClient();
        var decided = await browser.PostAsync(threeDsUrl, new FormUrlEncodedContent([new("action", action), new("otp", "123456")]),
            TestContext.Current.CancellationToken);
        Assert.True(decided.IsSuccessStatusCode, $"the 3-D Secure page answered {decided.StatusCode} to {action}");
    }
}
