using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Payments.Sandbox.Checkout;

/// <summary>
/// A demo shop a person can click through: GET /checkout shows a card form with the test cards beside it; its POST
/// (the only way card fields travel) is charged by this server side at the processor with the merchant key, which
/// never reaches the browser; the shopper is sent to 3-D Secure when the issuer wants it, and ends on
/// GET /checkout/result, the charge's ReturnUrl, which shows the payment as the processor reports it.
/// </summary>
public static class CheckoutEndpoints
{
    public const string HttpClientName = "checkout";
    public const string Path = "/checkout";

    /// <summary>How long the shopper waits for the processor's first answer from the gateway before seeing the result page.</summary>
    private static readonly TimeSpan FirstAnswerWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static IServiceCollection AddCheckout(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        return services;
    }

    public static WebApplication MapCheckout(this WebApplication app)
    {
        app.MapGet(Path, (SandboxOptions options) =>
            Configured(options) is { } missing ? missing : Page(200, CheckoutPages.Form(CheckoutForm.Blank(), [])));
        app.MapPost(Path, PayAsync);
        app.MapGet($"{Path}/result", ResultAsync);
        return app;
    }

    private static async Task<IResult> PayAsync(HttpContext http, SandboxOptions options, IHttpClientFactory clients, TimeProvider clock)
    {
        if (Configured(options) is { } missing)
            return missing;
        if (!http.Request.HasFormContentType)
            return Page(400, CheckoutPages.Message("Not a form", "Send the checkout form."));
        var form = CheckoutForm.Read(await http.Request.ReadFormAsync(http.RequestAborted));
        var returnUrl = $"{http.Request.Scheme}://{http.Request.Host}{Path}/result";
        if (form.ToCharge(returnUrl, out var amountError) is not { } charge)
            return Page(422, CheckoutPages.Form(form.WithoutCard(), [amountError!]));

        using var client = Processor(clients, options);
        HttpResponseMessage answer;
        try
        {
            answer = await client.PostAsJsonAsync("payments", charge, http.RequestAborted);
        }
        catch (HttpRequestException)
        {
            return Page(502, CheckoutPages.Message("Payment unavailable", $"The processor at {options.Checkout.ProcessorUrl} could not be reached."));
        }
        using (answer)
        {
            if (answer.StatusCode == HttpStatusCode.BadRequest)
                return Page(422, CheckoutPages.Form(form.WithoutCard(), await Errors(answer, http.RequestAborted)));
            if (answer.StatusCode != HttpStatusCode.Accepted)
                return Page(502, CheckoutPages.Message("Payment unavailable", $"The processor answered {(int)answer.StatusCode}."));
            var paymentId = (await answer.Content.ReadFromJsonAsync<JsonElement>(http.RequestAborted)).GetProperty("paymentId").GetGuid();

            var payment = await FirstAnswer(client, paymentId, clock, http.RequestAborted);
            return payment is { } known && ThreeDsPage(known) is { } threeDs
                ? Results.Redirect(threeDs)
                : Results.Redirect($"{Path}/result?paymentId={paymentId}");
        }
    }

    private static async Task<IResult> ResultAsync(string? paymentId, string? status, SandboxOptions options, IHttpClientFactory clients,
        CancellationToken cancel)
    {
        if (Configured(options) is { } missing)
            return missing;
        if (!Guid.TryParse(paymentId, out var id))
            return Page(400, CheckoutPages.Message("No payment", "The result page needs a paymentId."));
        using var client = Processor(clients, options);
        // The status in the address is what the processor said as it sent the browser here; the page asks it again.
        var payment = await Get(client, id, cancel);
        if (payment is null)
            return Page(404, CheckoutPages.Message("Unknown payment", $"The processor knows no payment {id}."));
        // Sent here before the gateway answered (no status: not back from 3-D Secure), and the issuer wants the shopper.
        if (status is null && ThreeDsPage(payment.Value) is { } threeDs)
            return Results.Redirect(threeDs);
        return Page(200, CheckoutPages.Result(payment.Value));
    }

    /// <summary>Waits until the processor has the gateway's first answer (anything but Pending), or gives up and returns the latest view.</summary>
    private static async Task<JsonElement?> FirstAnswer(HttpClient client, Guid paymentId, TimeProvider clock, CancellationToken cancel)
    {
        var deadline = clock.GetUtcNow() + FirstAnswerWait;
        JsonElement? payment = null;
        while (clock.GetUtcNow() < deadline)
        {
            payment = await Get(client, paymentId, cancel) ?? payment;
            if (payment?.GetProperty("status").GetString() is { } status && status != "Pending")
                return payment;
            await Task.Delay(Poll, clock, cancel);
        }
        return payment;
    }

    private static string? ThreeDsPage(JsonElement payment) =>
        payment.GetProperty("status").GetString() == "Redirect"
        && payment.TryGetProperty("redirect", out var redirect) && redirect.ValueKind == JsonValueKind.Object
        && redirect.GetProperty("pageUrl").GetString() is { Length: > 0 } pageUrl
            ? pageUrl
            : null;

    private static async Task<JsonElement?> Get(HttpClient client, Guid paymentId, CancellationToken cancel)
    {
        using var answer = await client.GetAsync($"payments/{paymentId}", cancel);
        return answer.IsSuccessStatusCode ? await answer.Content.ReadFromJsonAsync<JsonElement>(cancel) : null;
    }

    private static async Task<IReadOnlyList<string>> Errors(HttpResponseMessage answer, CancellationToken cancel)
    {
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(cancel);
        if (!problem.TryGetProperty("errors", out var errors))
            return [problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "Invalid charge" : "Invalid charge"];
        return errors.EnumerateObject()
            .SelectMany(field => field.Value.EnumerateArray().Select(reason => $"{field.Name}: {reason.GetString()}"))
            .ToList();
    }

    private static HttpClient Processor(IHttpClientFactory clients, SandboxOptions options)
    {
        var client = clients.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(options.Checkout.ProcessorUrl!.TrimEnd('/') + "/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Checkout.MerchantApiKey);
        return client;
    }

    private static IResult? Configured(SandboxOptions options) =>
        string.IsNullOrWhiteSpace(options.Checkout.ProcessorUrl) || string.IsNullOrWhiteSpace(options.Checkout.MerchantApiKey)
            ? Page(503, CheckoutPages.Message("Checkout not configured",
                "Set Sandbox:Checkout:ProcessorUrl and Sandbox:Checkout:MerchantApiKey (the processor fills both in on embedded defaults)."))
            : null;

    private static IResult Page(int status, string html) => Results.Content(html, "text/html", System.Text.Encoding.UTF8, status);
}
