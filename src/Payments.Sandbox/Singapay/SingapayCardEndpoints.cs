using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Payments.Sandbox.Singapay.SingapayResponses;

namespace Payments.Sandbox.Singapay;

/// <summary>The simulated Singapay API: access token, card payment, inquiry status, cancel.</summary>
internal static class SingapayCardEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/v1.1/access-token/b2b", IssueTokenAsync);
        api.MapPost("/v2.0/card/{accountId}/payment", PayAsync);
        api.MapGet("/v2.0/card/{accountId}/inquiry-status/{id}", InquireAsync);
        api.MapPatch("/v2.0/card/{accountId}/cancel/{id}", Cancel);
    }

    private static async Task<IResult> IssueTokenAsync(
        HttpContext http, SandboxOptions options, SingapayTokenStore tokens, TimeProvider timeProvider)
    {
        var merchant = options.Singapay;
        var headers = http.Request.Headers;
        if (headers["X-PARTNER-ID"].ToString() != merchant.ApiKey)
            return TokenError(HttpStatusCode.Unauthorized, "SP016", "Invalid X-PARTNER-ID.");
        if (headers["X-CLIENT-ID"].ToString() != merchant.ClientId)
            return TokenError(HttpStatusCode.Unauthorized, "SP016", "Invalid X-CLIENT-ID.");
        var expected = SingapayWireFormat.TokenSignature(merchant.ClientId, merchant.ClientSecret, timeProvider.GetUtcNow());
        if (!SingapayWireFormat.FixedTimeEquals(expected, headers["X-Signature"].ToString().ToLowerInvariant()))
            return TokenError(HttpStatusCode.Unauthorized, "SP016", "Invalid signature.");

        var body = await ReadObjectAsync(http);
        if (body?["grant_type"]?.GetValueKind() != JsonValueKind.String || body["grant_type"]!.GetValue<string>() != "client_credentials")
            return TokenError(HttpStatusCode.BadRequest, "SP012", "Bad request. grant_type must be client_credentials.");

        var token = tokens.Issue(TimeSpan.FromSeconds(merchant.TokenLifetimeSeconds));
        return Json(200, new JsonObject
        {
            ["status"] = 200,
            ["success"] = true,
            ["data"] = new JsonObject
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = merchant.TokenLifetimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });
    }

    private static async Task<IResult> PayAsync(
        string accountId,
        HttpContext http,
        SandboxOptions options,
        SingapayTokenStore tokens,
        SingapaySimulator simulator,
        SingapaySimulationOptions simulation,
        TimeProvider timeProvider)
    {
        if (Authorize(http, options, tokens, accountId) is { } denied)
            return denied;
        var body = await ReadObjectAsync(http);
        if (body is null)
            return Envelope(400, "SP012", "Bad request. The body must be a JSON object.");

        var payment = SingapayPaymentValidator.Validate(body, timeProvider.GetUtcNow(), out var rejection);
        if (payment is null)
        {
            return rejection!.Code == "SP018"
                ? Envelope(400, "SP018", rejection.Message, new JsonObject { ["errors"] = JsonSerializer.SerializeToNode(rejection.Errors) })
                : Envelope(400, rejection.Code, rejection.Message, new JsonObject
                {
                    ["reference_no"] = body["reference_no"]?.DeepClone(),
                    ["status"] = "failed",
                });
        }

        var scenario = SingapayTestCards.ScenarioFor(payment.CardNumber, payment.Amount);
        if (scenario == SingapayCardScenario.GatewayError)
            return Envelope(500, "SP002", "Internal server error.");

        var callbackFaults = SingapayCallbackFaults.Parse(http.Request.Headers[SingapayCallbackFaults.Header], simulation.DefaultCallbackDelay);
        var charge = simulator.Charge(accountId, payment, callbackFaults);
        if (charge is null)
            return Envelope(400, "SP004", "Duplicate reference number.", new JsonObject { ["reference_no"] = payment.ReferenceNo });

        switch (scenario)
        {
            case SingapayCardScenario.Declined:
                return Envelope(400, "SP001", "Payment declined by issuer", FailedData(charge));
            case SingapayCardScenario.InsufficientFunds:
                return Envelope(400, "SP003", "Insufficient balance", FailedData(charge));
            case SingapayCardScenario.ExpiredCard:
                return Envelope(400, "SP001", "Card Expiri Date Check Please.", FailedData(charge));
            case SingapayCardScenario.ThreeDs:
                return Envelope(200, "SP000", "Successfully", RedirectData(charge, ThreeDsUrl(http, charge.TransactionId)));
            case SingapayCardScenario.UpstreamTimeout:
                await SingapayHold.UntilClientGivesUpAsync(http, simulation.UpstreamTimeoutDelay, timeProvider);
                // The charge went through; the answer does not say so, and carries no transaction_id.
                return Envelope(504, "SP005", "Upstream timeout. Check the transaction status before retrying.",
                    new JsonObject { ["reference_no"] = charge.ReferenceNo });
            case SingapayCardScenario.Hang:
                await SingapayHold.UntilClientGivesUpAsync(http, simulation.HangDelay, timeProvider);
                return Envelope(200, "SP000", "Successfully", CompleteData(charge));
            default:
                return Envelope(200, "SP000", "Successfully", CompleteData(charge));
        }
    }

    /// <param name="id">
    /// transaction_id or provider_transaction_id, as Singapay documents; the merchant's reference_no only with
    /// <see cref="SingapaySandboxOptions.InquiryByReference"/>.
    /// </param>
    private static async Task<IResult> InquireAsync(string accountId, string id, HttpContext http, SandboxOptions options,
        SingapayTokenStore tokens, SingapaySimulator simulator, SingapaySimulationOptions simulation, TimeProvider timeProvider)
    {
        if (Authorize(http, options, tokens, accountId) is { } denied)
            return denied;
        var entry = simulator.Refresh(id);
        if (entry is not null && !options.Singapay.InquiryByReference && entry.TransactionId != id && entry.ProviderTransactionId != id)
            entry = null;
        if (entry is null)
            return Envelope(404, "SP009", "Transaction not found.");
        if (entry.Scenario == SingapayCardScenario.SlowInquiry)
        {
            await SingapayHold.UntilClientGivesUpAsync(http, simulation.SlowInquiryDelay, timeProvider);
            entry = simulator.Refresh(id) ?? entry;
        }
        return Envelope(200, "SP000", "Successfully", new JsonObject
        {
            ["transaction_id"] = entry.TransactionId,
            ["reference_no"] = entry.ReferenceNo,
            ["amount"] = entry.Amount,
            ["status"] = entry.Status,
            ["provider_transaction_id"] = entry.ProviderTransactionId,
            ["provider_auth_no"] = entry.ProviderAuthNo,
            ["card_masked"] = entry.CardMasked,
            ["provider_result_code"] = entry.ProviderResultCode,
            ["provider_result_message"] = entry.ProviderResultMessage,
            ["completed_at"] = entry.CompletedAt is null ? null : SingapayWireFormat.DateTime(entry.CompletedAt),
            ["failed_at"] = entry.FailedAt is null ? null : SingapayWireFormat.DateTime(entry.FailedAt),
        });
    }

    private static IResult Cancel(
        string accountId, string id, HttpContext http, SandboxOptions options, SingapayTokenStore tokens,
        SingapaySimulator simulator, SingapayLedger ledger)
    {
        if (Authorize(http, options, tokens, accountId) is { } denied)
            return denied;
        var cancelled = simulator.Cancel(id, out var found);
        if (!found)
            return Envelope(404, "SP009", "Transaction not found.");
        if (cancelled is null)
            return Envelope(400, "SP019", $"Transaction cannot be cancelled in status {ledger.Find(id)?.Status}.");
        return Envelope(200, "SP000", "Successfully", new JsonObject
        {
            ["transaction_id"] = cancelled.TransactionId,
            ["reference_no"] = cancelled.ReferenceNo,
            ["status"] = "success",
            ["cancel_type"] = cancelled.CancelType,
        });
    }

    private static IResult? Authorize(HttpContext http, SandboxOptions options, SingapayTokenStore tokens, string accountId)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
        if (!tokens.IsValid(token))
            return Envelope(401, "SP013", "Unauthorized. Invalid or expired access token.");
        if (http.Request.Headers["X-PARTNER-ID"].ToString() != options.Singapay.ApiKey)
            return Envelope(403, "SP015", "Forbidden. Unknown X-PARTNER-ID.");
        if (accountId != options.Singapay.AccountId)
            return Envelope(404, "SP020", "Merchant account not found.");
        return null;
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult TokenError(HttpStatusCode status, string code, string message) =>
        Json((int)status, new JsonObject
        {
            ["status"] = (int)status,
            ["success"] = false,
            ["response_code"] = code,
            ["response_message"] = message,
        });

    private static JsonObject CompleteData(SingapayLedgerEntry charge) => new()
    {
        ["transaction_id"] = charge.TransactionId,
        ["reference_no"] = charge.ReferenceNo,
        ["status"] = "processing",
        ["action"] = "complete",
        ["immediate_success"] = true,
        ["provider_transaction_id"] = charge.ProviderTransactionId,
        ["provider_auth_no"] = charge.ProviderAuthNo,
        ["card_masked"] = charge.CardMasked,
        ["issuing_bank"] = "CIMB",
        ["acquiring_bank"] = "CIMB",
        ["result_code"] = "0000",
    };

    private static JsonObject RedirectData(SingapayLedgerEntry charge, string threeDsUrl)
    {
        var form = SingapayThreeDsEndpoints.AutoSubmitForm(threeDsUrl);
        return new JsonObject
        {
            ["transaction_id"] = charge.TransactionId,
            ["reference_no"] = charge.ReferenceNo,
            ["status"] = "pending",
            ["action"] = "redirect",
            ["requires_3ds"] = true,
            // Singapay documents both as HTML; the sandbox follows suit.
            ["payment_url"] = form,
            ["html_form"] = form,
            ["provider_transaction_id"] = charge.ProviderTransactionId,
        };
    }

    private static JsonObject FailedData(SingapayLedgerEntry charge) => new()
    {
        ["transaction_id"] = charge.TransactionId,
        ["reference_no"] = charge.ReferenceNo,
        ["status"] = "failed",
    };

    private static string ThreeDsUrl(HttpContext http, string transactionId) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{SingapaySandbox.Prefix}/3ds/{Uri.EscapeDataString(transactionId)}";
}
