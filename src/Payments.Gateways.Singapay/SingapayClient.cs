using System.Net.Http.Headers;
using System.Text.Json;
using Payments.Gateways.Resilience;

namespace Payments.Gateways.Singapay;

/// <summary>
/// Singapay's card API over HTTP (typed HttpClient; its BaseAddress is <see cref="SingapayOptions.BaseUrl"/>).
/// Returns what Singapay answered; interpreting it is <see cref="SingapayGateway"/>'s job. Transport failures surface
/// as exceptions: <see cref="GatewayUnavailableException"/> (not sent), Polly's TimeoutRejectedException,
/// <see cref="HttpRequestException"/>, and <see cref="SingapayAuthenticationException"/> when no token could be had.
/// </summary>
public sealed class SingapayClient(HttpClient http, SingapayAccessTokenProvider tokens)
{
    /// <summary>The named HttpClient shared by card calls and token requests (one resilience pipeline).</summary>
    public const string HttpClientName = "Singapay";

    public Task<SingapayReply<SingapayPaymentData>> PayAsync(
        string accountId, SingapayCardPaymentRequest payment, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payment, SingapayJson.Options);
        // Retrying the charge after SP013 is safe only because SP013 means Singapay rejected the token before it
        // looked at the payment: nothing was charged, so the retry is the first charge, not a second one.
        return SendAsync<SingapayPaymentData>(
            () => new HttpRequestMessage(HttpMethod.Post, $"api/v2.0/card/{Segment(accountId)}/payment")
            {
                Content = JsonBody(body),
            },
            GatewayCallKind.Charge,
            cancellationToken);
    }

    /// <param name="id">transaction_id, provider_transaction_id or (assumed) the merchant's reference_no.</param>
    public Task<SingapayReply<SingapayTransactionData>> InquireAsync(string accountId, string id, CancellationToken cancellationToken) =>
        SendAsync<SingapayTransactionData>(
            () => new HttpRequestMessage(HttpMethod.Get, $"api/v2.0/card/{Segment(accountId)}/inquiry-status/{Segment(id)}"),
            GatewayCallKind.Inquiry,
            cancellationToken);

    public Task<SingapayReply<SingapayCancelData>> CancelAsync(string accountId, string id, CancellationToken cancellationToken) =>
        SendAsync<SingapayCancelData>(
            () => new HttpRequestMessage(HttpMethod.Patch, $"api/v2.0/card/{Segment(accountId)}/cancel/{Segment(id)}"),
            GatewayCallKind.Cancel,
            cancellationToken);

    private async Task<SingapayReply<T>> SendAsync<T>(
        Func<HttpRequestMessage> createRequest, GatewayCallKind kind, CancellationToken cancellationToken)
        where T : class
    {
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var reply = await SendOnceAsync<T>(createRequest(), token, kind, cancellationToken).ConfigureAwait(false);
        if (reply.ResponseCode != SingapayResponseCodes.Unauthorized)
            return reply;

        // SP013: the token expired or was revoked early. Fetch a new one and try this call once more.
        tokens.Invalidate(token);
        token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return await SendOnceAsync<T>(createRequest(), token, kind, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SingapayReply<T>> SendOnceAsync<T>(
        HttpRequestMessage request, string token, GatewayCallKind kind, CancellationToken cancellationToken)
        where T : class
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("X-PARTNER-ID", tokens.ApiKey);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.SetGatewayCallKind(kind);

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var envelope = JsonSerializer.Deserialize<SingapayEnvelope<T>>(body, SingapayJson.Options);
                if (envelope is not null && !string.IsNullOrEmpty(envelope.ResponseCode))
                    return new SingapayReply<T>(response.StatusCode, true, envelope.ResponseCode, envelope.ResponseMessage, envelope.Data);
            }
            catch (JsonException)
            {
                // An HTML error page from a proxy, a cut-off body: unreadable, handled below.
            }
            return new SingapayReply<T>(response.StatusCode, false, null, null, null);
        }
    }

    private static ByteArrayContent JsonBody(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Segment(string value) => Uri.EscapeDataString(value);
}
