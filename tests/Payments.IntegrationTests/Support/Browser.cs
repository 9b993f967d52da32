using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Payments.IntegrationTests.Support;

/// <summary>What the customer's browser does with a 3-D Secure payment: open our page, follow the form, press a button.</summary>
public static class Browser
{
    public static async Task FinishThreeDs(JsonElement payment, string action = "confirm") =>
        await Press(await OpenThreeDs(payment), action);

    /// <summary>Opens the processor's redirect page and follows its form: returns the issuer's 3DS page.</summary>
    public static async Task<string> OpenThreeDs(JsonElement payment)
    {
        using var browser = new HttpClient();
        var page = await browser.GetStringAsync(payment.GetProperty("redirect").GetProperty("pageUrl").GetString(), TestContext.Current.CancellationToken);
        return WebUtility.HtmlDecode(Regex.Match(page, "action=\"([^\"]+)\"").Groups[1].Value);
    }

    public static async Task Press(string issuerPage, string action)
    {
        using var browser = new HttpClient();
        var answer = await browser.PostAsync(issuerPage, new FormUrlEncodedContent([new("action", action), new("otp", "123456")]), TestContext.Current.CancellationToken);
        Assert.True(answer.IsSuccessStatusCode, $"the 3DS page answered {answer.StatusCode}");
    }
}
