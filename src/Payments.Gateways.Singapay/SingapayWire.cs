using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Contracts;

namespace Payments.Gateways.Singapay;

/// <summary>The body of POST /api/v2.0/card/{account_id}/payment, field for field as Singapay documents it.</summary>
/// <remarks>Holds card data: never log, persist or print it (ToString is overridden for that reason).</remarks>
public sealed class SingapayCardPaymentRequest
{
    [JsonPropertyName("amount")] public long Amount { get; init; }
    [JsonPropertyName("goods_name")] public string GoodsName { get; init; } = "";
    [JsonPropertyName("customer_name")] public string CustomerName { get; init; } = "";
    [JsonPropertyName("customer_email")] public string CustomerEmail { get; init; } = "";
    [JsonPropertyName("customer_phone")] public string CustomerPhone { get; init; } = "";
    [JsonPropertyName("customer_address")] public string CustomerAddress { get; init; } = "";
    [JsonPropertyName("customer_city")] public string CustomerCity { get; init; } = "";
    [JsonPropertyName("customer_state")] public string CustomerState { get; init; } = "";
    [JsonPropertyName("customer_postal_code")] public string CustomerPostalCode { get; init; } = "";
    [JsonPropertyName("customer_country")] public string CustomerCountry { get; init; } = "";
    [JsonPropertyName("reference_no")] public string? ReferenceNo { get; init; }
    [JsonPropertyName("card_number")] public string CardNumber { get; init; } = "";
    /// <summary>YYMM.</summary>
    [JsonPropertyName("card_expiry")] public string CardExpiry { get; init; } = "";
    [JsonPropertyName("card_cvv")] public string CardCvv { get; init; } = "";
    [JsonPropertyName("card_holder_name")] public string CardHolderName { get; init; } = "";
    [JsonPropertyName("card_holder_email")] public string CardHolderEmail { get; init; } = "";
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("installment")] public bool? Installment { get; init; }
    /// <summary>"3", "6" or "12" (a string on the wire).</summary>
    [JsonPropertyName("installment_month")] public string? InstallmentMonth { get; init; }

    public static SingapayCardPaymentRequest From(ChargeRequested charge)
    {
        var card = charge.Card ?? throw new ArgumentException(
            "A Singapay charge needs card details; stored cards are charged at Finpay.", nameof(charge));
        var installment = charge.InstallmentMonths is > 0;
        return new SingapayCardPaymentRequest
        {
            Amount = charge.Amount,
            GoodsName = charge.GoodsName,
            CustomerName = charge.Customer.Name,
            CustomerEmail = charge.Customer.Email,
            CustomerPhone = charge.Customer.Phone,
            CustomerAddress = charge.Customer.Address,
            CustomerCity = charge.Customer.City,
            CustomerState = charge.Customer.State,
            CustomerPostalCode = charge.Customer.PostalCode,
            CustomerCountry = charge.Customer.Country,
            ReferenceNo = charge.MerchantReference,
            CardNumber = new string(card.Number.Where(char.IsDigit).ToArray()),
            CardExpiry = card.Expiry,
            CardCvv = card.Cvv,
            CardHolderName = card.HolderName,
            CardHolderEmail = card.HolderEmail,
            Description = string.IsNullOrEmpty(charge.Description) ? null : charge.Description,
            Installment = installment ? true : null,
            InstallmentMonth = installment ? charge.InstallmentMonths!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
    }

    public override string ToString() => $"SingapayCardPaymentRequest {{ ReferenceNo = {ReferenceNo}, Card = {CardMask.Mask(CardNumber)} }}";
}

/// <summary>data of a card payment answer (immediate success, 3DS redirect or decline).</summary>
public sealed class SingapayPaymentData
{
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }
    [JsonPropertyName("reference_no")] public string? ReferenceNo { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    /// <summary>complete (immediate) or redirect (3DS).</summary>
    [JsonPropertyName("action")] public string? Action { get; init; }
    [JsonPropertyName("immediate_success")] public bool? ImmediateSuccess { get; init; }
    [JsonPropertyName("provider_transaction_id")] public string? ProviderTransactionId { get; init; }
    [JsonPropertyName("provider_auth_no")] public string? ProviderAuthNo { get; init; }
    [JsonPropertyName("card_masked")] public string? CardMasked { get; init; }
    [JsonPropertyName("issuing_bank")] public string? IssuingBank { get; init; }
    [JsonPropertyName("acquiring_bank")] public string? AcquiringBank { get; init; }
    [JsonPropertyName("result_code")] public string? ResultCode { get; init; }
    [JsonPropertyName("requires_3ds")] public bool? Requires3ds { get; init; }
    [JsonPropertyName("payment_url")] public string? PaymentUrl { get; init; }
    [JsonPropertyName("html_form")] public string? HtmlForm { get; init; }
}

/// <summary>data of an inquiry answer, and of a card callback (assumed to carry the same fields).</summary>
public sealed class SingapayTransactionData
{
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }
    [JsonPropertyName("reference_no")] public string? ReferenceNo { get; init; }
    [JsonPropertyName("amount")] public decimal? Amount { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("provider_transaction_id")] public string? ProviderTransactionId { get; init; }
    [JsonPropertyName("provider_auth_no")] public string? ProviderAuthNo { get; init; }
    [JsonPropertyName("card_masked")] public string? CardMasked { get; init; }
    [JsonPropertyName("provider_result_code")] public string? ProviderResultCode { get; init; }
    [JsonPropertyName("provider_result_message")] public string? ProviderResultMessage { get; init; }
    [JsonPropertyName("completed_at")] public string? CompletedAt { get; init; }
    [JsonPropertyName("failed_at")] public string? FailedAt { get; init; }
}

public sealed class SingapayCancelData
{
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }
    [JsonPropertyName("reference_no")] public string? ReferenceNo { get; init; }
    /// <summary>"success" when the void or refund went through.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }
    /// <summary>void or refund.</summary>
    [JsonPropertyName("cancel_type")] public string? CancelType { get; init; }
}

internal sealed class SingapayEnvelope<T>
{
    [JsonPropertyName("response_code")] public string? ResponseCode { get; init; }
    [JsonPropertyName("response_message")] public string? ResponseMessage { get; init; }
    [JsonPropertyName("data")] public T? Data { get; init; }
}

internal sealed class SingapayTokenData
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
    [JsonPropertyName("token_type")] public string? TokenType { get; init; }
    /// <summary>Seconds, documented as a string ("3600"); a number is tolerated too.</summary>
    [JsonPropertyName("expires_in")] public JsonElement ExpiresIn { get; init; }
}

/// <summary>The assumed card callback envelope (Singapay documents no card event; see SingapayCallbackVerifier).</summary>
internal sealed class SingapayCallbackBody
{
    [JsonPropertyName("event")] public string? Event { get; init; }
    [JsonPropertyName("timestamp")] public string? Timestamp { get; init; }
    [JsonPropertyName("data")] public SingapayTransactionData? Data { get; init; }
}

/// <summary>One Singapay answer: the HTTP status, and the envelope when the body could be read.</summary>
public sealed record SingapayReply<T>(HttpStatusCode HttpStatus, bool Parsed, string? ResponseCode, string? ResponseMessage, T? Data)
    where T : class;

internal static class SingapayJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
