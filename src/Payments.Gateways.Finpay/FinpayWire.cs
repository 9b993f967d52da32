using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Contracts;

namespace Payments.Gateways.Finpay;

internal static class FinpayJson
{
    /// <summary>camelCase, as on Finpay's seed page.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A field's value as text whether Finpay sent it as a string or a number (its docs and samples disagree).</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    public static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;
}

/// <summary>The one-click charge body of POST /pg/payment/card/payment (the seed page's sample request).</summary>
public sealed record FinpayPaymentRequest
{
    public required FinpayCustomer Customer { get; init; }
    public required FinpayOrder Order { get; init; }
    public required FinpayCard Card { get; init; }

    /// <summary>order.id is the merchant reference: Finpay's idempotency key.</summary>
    public static FinpayPaymentRequest From(ChargeRequested charge, StoredCard storedCard)
    {
        var (firstName, lastName) = SplitName(charge.Customer.Name);
        return new FinpayPaymentRequest
        {
            Customer = new FinpayCustomer
            {
                Id = storedCard.CustomerId,
                Email = charge.Customer.Email,
                FirstName = firstName,
                LastName = lastName,
                MobilePhone = charge.Customer.Phone,
            },
            Order = new FinpayOrder
            {
                Id = charge.MerchantReference,
                Amount = charge.Amount.ToString(CultureInfo.InvariantCulture),
                Currency = charge.Currency,
                Description = string.IsNullOrWhiteSpace(charge.Description) ? charge.GoodsName : charge.Description,
            },
            Card = new FinpayCard { Token = storedCard.Token, StoredOnFile = FinpayCard.Stored },
        };
    }

    /// <summary>"Hajar Ismail" → ("Hajar", "Ismail"); "Anna Maria de Souza" → ("Anna", "Maria de Souza"); one word → (word, "").</summary>
    internal static (string First, string Last) SplitName(string? name)
    {
        var trimmed = (name ?? "").Trim();
        var space = trimmed.IndexOf(' ');
        return space < 0 ? (trimmed, "") : (trimmed[..space], trimmed[(space + 1)..].Trim());
    }
}

public sealed record FinpayCustomer
{
    public string Id { get; init; } = "";
    public string Email { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string MobilePhone { get; init; } = "";
}

public sealed record FinpayOrder
{
    public string Id { get; init; } = "";
    /// <summary>Whole rupiah as a string, e.g. "1000": Finpay's request takes the amount as text.</summary>
    public string Amount { get; init; } = "";
    public string Currency { get; init; } = "IDR";
    public string? Description { get; init; }
}

public sealed record FinpayCard
{
    /// <summary>A card saved on an earlier customer-present payment, charged now without the customer.</summary>
    public const string Stored = "STORED";

    public string Token { get; init; } = "";
    public string StoredOnFile { get; init; } = Stored;

    // The token can be charged: keep it out of log lines built from ToString.
    public override string ToString() => $"FinpayCard {{ StoredOnFile = {StoredOnFile} }}";
}

/// <summary>What Finpay answered. <see cref="ResponseCode"/> is null when the body was not a Finpay answer (an HTML error page, a cut-off body).</summary>
public sealed record FinpayReply<T>(HttpStatusCode HttpStatus, string? ResponseCode, string? ResponseMessage, T? Data)
    where T : class
{
    public bool Readable => ResponseCode is not null;
}

/// <summary>The fields of a charge answer's data that the processor keeps (see the seed page's sample response).</summary>
public sealed record FinpayPaymentData(
    string? Id, string? AuthorizationCode, string? Reference, string? AcquirerTransactionId, string? Amount, string? Currency)
{
    internal static FinpayPaymentData From(JsonElement data) => new(
        FinpayJson.Text(data, "id"),
        FinpayJson.Text(data, "authorizationCode"),
        FinpayJson.Text(data, "reference"),
        FinpayJson.Text(FinpayJson.Property(data, "acquirer"), "transactionId"),
        FinpayJson.Text(data, "amount"),
        FinpayJson.Text(data, "currency"));
}

/// <summary>
/// A status check's data. Finpay does not publish this body; it is assumed to carry the charge answer's fields plus a
/// status: <c>{"responseCode":"2000000","responseMessage":"Success","data":{"id":"C-…","status":"PAID","authorizationCode":…,
/// "amount":1000,"currency":"IDR"}}</c>.
/// </summary>
/// <param name="ResponseCode">The payment's own outcome code (e.g. 4030005 for a declined one), not the status check's.</param>
public sealed record FinpayStatusData(string? Id, string? Status, string? AuthorizationCode, string? Amount, string? Currency,
    string? ResponseCode = null, string? ResponseMessage = null)
{
    internal static FinpayStatusData From(JsonElement data) => new(
        FinpayJson.Text(data, "id"),
        FinpayJson.Text(data, "status"),
        FinpayJson.Text(data, "authorizationCode"),
        FinpayJson.Text(data, "amount"),
        FinpayJson.Text(data, "currency"),
        FinpayJson.Text(data, "responseCode"),
        FinpayJson.Text(data, "responseMessage"));
}
