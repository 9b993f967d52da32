using System.Text.Json;

namespace Payments.Sandbox.Finpay;

/// <summary>A charge request that passed validation: just the fields the simulation needs.</summary>
internal sealed record FinpayChargeRequest(string CustomerId, string OrderId, long Amount, string Currency, string Token);

/// <summary>
/// The seed page's mandatory fields, checked strictly: customer (an object; email, when not empty, must look like one),
/// order {id, amount as a string of digits, currency IDR}, card {token, storedOnFile "STORED"}. Each refusal names
/// the field: 4000002 when it is missing, 4000001 when its format is wrong.
/// </summary>
internal static class FinpayPaymentValidator
{
    public static FinpayCode? Validate(JsonElement body, out FinpayChargeRequest? request)
    {
        request = null;
        if (body.ValueKind != JsonValueKind.Object)
            return FinpayCode.InvalidFieldFormat("body", "must be a JSON object");

        if (!TryObject(body, "customer", "customer", out var customer, out var problem))
            return problem;
        foreach (var field in new[] { "id", "email", "firstName", "lastName", "mobilePhone" })
        {
            if (customer.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return FinpayCode.InvalidFieldFormat($"customer.{field}", "must be a string");
        }
        var email = OptionalString(customer, "email");
        if (!string.IsNullOrEmpty(email) && (email.IndexOf('@') is <= 0 || email.EndsWith('@')))
            return FinpayCode.InvalidFieldFormat("customer.email", "must be an e-mail address");

        if (!TryObject(body, "order", "order", out var order, out problem))
            return problem;
        if (!TryString(order, "id", "order.id", out var orderId, out problem))
            return problem;
        if (!TryString(order, "amount", "order.amount", out var amountText, out problem))
            return problem;
        if (!amountText.All(char.IsAsciiDigit) || !long.TryParse(amountText, out var amount) || amount <= 0)
            return FinpayCode.InvalidFieldFormat("order.amount", "must be a positive whole number of rupiah, as a string");
        if (!TryString(order, "currency", "order.currency", out var currency, out problem))
            return problem;
        if (currency != "IDR")
            return FinpayCode.InvalidFieldFormat("order.currency", "must be IDR");

        if (!TryObject(body, "card", "card", out var card, out problem))
            return problem;
        if (!TryString(card, "token", "card.token", out var token, out problem))
            return problem;
        if (!TryString(card, "storedOnFile", "card.storedOnFile", out var storedOnFile, out problem))
            return problem;
        if (storedOnFile != "STORED")
            return FinpayCode.InvalidFieldFormat("card.storedOnFile", "must be STORED for a one-click payment");

        request = new FinpayChargeRequest(OptionalString(customer, "id") ?? "", orderId, amount, currency, token);
        return null;
    }

    private static bool TryObject(JsonElement parent, string name, string field, out JsonElement value, out FinpayCode? problem)
    {
        problem = null;
        if (!parent.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
            problem = FinpayCode.InvalidMandatoryField(field);
        else if (value.ValueKind != JsonValueKind.Object)
            problem = FinpayCode.InvalidFieldFormat(field, "must be an object");
        return problem is null;
    }

    /// <summary>A mandatory, non-empty string; a number or any other kind is a format error (amount is text at Finpay).</summary>
    private static bool TryString(JsonElement parent, string name, string field, out string value, out FinpayCode? problem)
    {
        value = "";
        problem = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            problem = FinpayCode.InvalidMandatoryField(field);
        else if (element.ValueKind != JsonValueKind.String)
            problem = FinpayCode.InvalidFieldFormat(field, "must be a string");
        else if (string.IsNullOrWhiteSpace(value = element.GetString()!))
            problem = FinpayCode.InvalidMandatoryField(field);
        return problem is null;
    }

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
