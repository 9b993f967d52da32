using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Gateways.Resilience;

namespace Payments.Gateways.Finpay;

/// <summary>
/// Finpay's card API over HTTP (typed HttpClient; its BaseAddress is <see cref="FinpayOptions.BaseUrl"/>), with
/// Basic auth base64(merchantId:merchantKey) on every call. Returns what Finpay answered; interpreting it is
/// <see cref="FinpayGateway"/>'s job. Transport failures surface as exceptions: <see cref="GatewayUnavailableException"/>
/// (not sent), Polly's TimeoutRejectedException and <see cref="HttpRequestException"/>.
/// </summary>
public sealed class FinpayClient(HttpClient http, IOptions<FinpayOptions> options)
{
    public const string HttpClientName = "Finpay";

    /// <summary>POST /pg/payment/card/payment: a one-click charge of a stored card. Never retried.</summary>
    public Task<FinpayReply<FinpayPaymentData>> PayAsync(FinpayPaymentRequest payment, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "pg/payment/card/payment")
        {
            Content = JsonBody(JsonSerializer.SerializeToUtf8Bytes(payment, FinpayJson.Options)),
        };
        return SendAsync(request.SetGatewayCallKind(GatewayCallKind.Charge), FinpayPaymentData.From, cancellationToken);
    }

    /// <summary>GET /pg/payment/card/check/{orderId}: the status of the payment with this order id.</summary>
    public Task<FinpayReply<FinpayStatusData>> CheckAsync(string orderId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"pg/payment/card/check/{Uri.EscapeDataString(orderId)}");
        return SendAsync(request.SetGatewayCallKind(GatewayCallKind.Inquiry), FinpayStatusData.From, cancellationToken);
    }

    private async Task<FinpayReply<T>> SendAsync<T>(
        HttpRequestMessage request, Func<JsonElement, T> readData, CancellationToken cancellationToken)
        where T : class
    {
        using (request)
        {
            request.Headers.Authorization = BasicAuthorization(options.Value);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                var code = FinpayJson.Text(root, "responseCode");
                if (!string.IsNullOrEmpty(code))
                {
                    var data = FinpayJson.Property(root, "data");
                    return new FinpayReply<T>(response.StatusCode, code, FinpayJson.Text(root, "responseMessage"),
                        data.ValueKind == JsonValueKind.Object ? readData(data) : null);
                }
            }
            catch (JsonException)
            {
                // An HTML error page from a proxy, a cut-off body: unreadable, reported below.
            }
            return new FinpayReply<T>(response.StatusCode, null, null, null);
        }
    }

    internal static AuthenticationHeaderValue BasicAuthorization(FinpayOptions options) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.MerchantId}:{options.MerchantKey}")));

    private static ByteArrayContent JsonBody(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
