using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Payments.Contracts;
using Xunit;
using Xunit.Sdk;

namespace Payments.Testing;

/// <summary>What a merchant does with a running processor over HTTP, whichever fixture started it.</summary>
public static class PaymentsApi
{
    /// <summary>POST /payments: the charge must be accepted (202, Location of the new payment); returns its id.</summary>
    public static async Task<Guid> Charge(this HttpClient processor, ChargeRequested charge)
    {
        var response = await processor.PostAsJsonAsync("/payments", charge, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var id = body.GetProperty("paymentId").GetGuid();
        Assert.Equal($"/payments/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>Polls GET /payments/{id} until it reports <paramref name="status"/> (a restarting processor is waited for).</summary>
    public static async Task<JsonElement> WaitForStatus(this HttpClient processor, Guid paymentId, string status, TimeSpan timeout)
    {
        JsonElement payment = default;
        try
        {
            await Eventually.Until(async () =>
            {
                try
                {
                    var response = await processor.GetAsync($"/payments/{paymentId}", TestContext.Current.CancellationToken);
                    if (!response.IsSuccessStatusCode)
                        return false;
                    payment = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
                    return payment.GetProperty("status").GetString() == status;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, $"payment {paymentId} is {status}", timeout);
        }
        catch (XunitException)
        {
            throw new XunitException($"Payment {paymentId} did not reach {status}: {payment}");
        }
        return payment;
    }
}
