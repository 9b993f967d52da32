using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Payments.Sandbox.Finpay;

/// <summary>The simulated Finpay's JSON bodies, ids and callback signature.</summary>
internal static class FinpayWireFormat
{
    private static readonly TimeSpan Jakarta = TimeSpan.FromHours(7);

    /// <summary>Compact, minimally escaped: the form callbacks are signed in (see Payments.Gateways.Finpay's FinpayCallbackSignature).</summary>
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Answer(FinpayCode code, JsonObject? data = null)
    {
        var body = new JsonObject { ["responseCode"] = code.Code, ["responseMessage"] = code.Message };
        if (data is not null)
            body["data"] = data;
        return body.ToJsonString(Compact);
    }

    /// <summary>The data of a successful charge, shaped like the seed page's sample response.</summary>
    public static JsonObject ChargeData(FinpayLedgerEntry entry)
    {
        var jakartaNow = entry.CreatedAt.ToOffset(Jakarta);
        return new JsonObject
        {
            ["acquirer"] = new JsonObject
            {
                ["batch"] = int.Parse(jakartaNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                ["date"] = jakartaNow.ToString("MMdd", CultureInfo.InvariantCulture),
                ["id"] = "SANDBOX_ACQ",
                ["merchantId"] = "000800910091992",
                ["settlementDate"] = jakartaNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["timeZone"] = "+0700",
                ["transactionId"] = Digits(9),
            },
            ["amount"] = entry.Amount,
            ["authorizationCode"] = entry.AuthorizationCode,
            ["currency"] = entry.Currency,
            ["id"] = entry.PaymentId,
            ["receipt"] = Digits(12),
            ["reference"] = entry.PaymentId,
            ["source"] = "INTERNET",
            ["stan"] = Digits(5),
            ["terminal"] = "SANDBX01",
            ["type"] = "CAPTURE",
        };
    }

    /// <summary>The data of a status check (assumed shape: Finpay does not publish it).</summary>
    public static JsonObject StatusData(FinpayLedgerEntry entry)
    {
        var data = new JsonObject
        {
            ["id"] = entry.PaymentId,
            ["status"] = entry.Status,
            ["amount"] = entry.Amount,
            ["currency"] = entry.Currency,
            ["reference"] = entry.PaymentId,
            ["responseCode"] = entry.ResponseCode,
            ["responseMessage"] = entry.ResponseMessage,
        };
        if (entry.AuthorizationCode is not null)
            data["authorizationCode"] = entry.AuthorizationCode;
        return data;
    }

    /// <summary>The callback (assumed shape), its signature field last.</summary>
    public static string SignedCallback(FinpayLedgerEntry entry, string merchantKey)
    {
        var data = new JsonObject { ["id"] = entry.PaymentId, ["reference"] = entry.PaymentId };
        if (entry.AuthorizationCode is not null)
            data["authorizationCode"] = entry.AuthorizationCode;
        var body = new JsonObject
        {
            ["responseCode"] = entry.ResponseCode,
            ["responseMessage"] = entry.ResponseMessage,
            ["status"] = entry.Status,
            ["order"] = new JsonObject
            {
                ["id"] = entry.OrderId,
                ["amount"] = entry.Amount.ToString(CultureInfo.InvariantCulture),
                ["currency"] = entry.Currency,
            },
            ["data"] = data,
        };
        body["signature"] = Sign(merchantKey, body.ToJsonString(Compact));
        return body.ToJsonString(Compact);
    }

    /// <summary>Lowercase hex HMAC-SHA512 (key: the merchant key) of the compact JSON without the signature field.</summary>
    public static string Sign(string merchantKey, string compactJsonWithoutSignature) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(merchantKey), Encoding.UTF8.GetBytes(compactJsonWithoutSignature)));

    public static string NewPaymentId() => $"C-{Guid.NewGuid()}";

    public static string Digits(int count)
    {
        var digits = new char[count];
        for (var i = 0; i < count; i++)
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        return new string(digits);
    }
}
