using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Payments.Sandbox.Singapay;

/// <summary>A card payment request that passed validation. The card number lives only in this object, in memory.</summary>
internal sealed record SingapayPaymentRequest(
    decimal Amount,
    string GoodsName,
    string CardNumber,
    string? ReferenceNo,
    int? InstallmentMonths)
{
    public override string ToString() => $"SingapayPaymentRequest {{ ReferenceNo = {ReferenceNo} }}";
}

/// <summary>Why a payment request was refused before any charge: SP018 (a field), SP001 (card expiry).</summary>
internal sealed record SingapayRejection(string Code, string Message, IReadOnlyDictionary<string, List<string>> Errors);

/// <summary>
/// Singapay's field rules for POST /api/v2.0/card/{account_id}/payment, as the seed page lists them. Every broken
/// rule is collected; the first one becomes response_message, all of them data.errors (Laravel style).
/// </summary>
internal static partial class SingapayPaymentValidator
{
    public const string ExpiryMessage = "Card Expiri Date Check Please.";
    private static readonly string[] InstallmentMonths = ["3", "6", "12"];

    public static SingapayPaymentRequest? Validate(JsonObject body, DateTimeOffset now, out SingapayRejection? rejection)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var fields = new Fields(body, errors);

        var amount = fields.Amount("amount", min: 5000, max: 999_999_999);
        var goodsName = fields.Text("goods_name", required: true, max: 255);
        fields.Text("customer_name", required: true, max: 255);
        fields.Email("customer_email", max: 255);
        fields.Text("customer_phone", required: true, max: 50);
        fields.Text("customer_address", required: true, max: 500);
        fields.Text("customer_city", required: true, max: 100);
        fields.Text("customer_state", required: true, max: 100);
        fields.Text("customer_postal_code", required: true, max: 20);
        fields.Text("customer_country", required: true, size: 2);
        var cardNumber = fields.Text("card_number", required: true, max: 20);
        if (cardNumber is not null && !cardNumber.All(char.IsAsciiDigit))
            fields.Fail("card_number", "The card_number field must contain only digits.");
        var cardExpiry = fields.Text("card_expiry", required: true, size: 4);
        fields.Text("card_cvv", required: true, max: 4);
        fields.Text("card_holder_name", required: true, max: 45);
        fields.Email("card_holder_email", max: 100);
        var referenceNo = fields.Text("reference_no", required: false, max: 100);
        fields.Text("description", required: false, max: 500);
        var installment = fields.Boolean("installment");
        var installmentMonth = fields.Choice("installment_month", InstallmentMonths);

        if (errors.Count > 0)
        {
            rejection = new SingapayRejection("SP018", errors.First().Value[0], errors);
            return null;
        }
        if (!IsCurrentExpiry(cardExpiry!, now))
        {
            rejection = new SingapayRejection("SP001", ExpiryMessage, new Dictionary<string, List<string>>());
            return null;
        }

        rejection = null;
        int? months = installment == true ? int.Parse(installmentMonth ?? "3", CultureInfo.InvariantCulture) : null;
        return new SingapayPaymentRequest(amount!.Value, goodsName!, cardNumber!, string.IsNullOrEmpty(referenceNo) ? null : referenceNo, months);
    }

    /// <summary>YYMM with a real month, not before this month in Jakarta (a card is valid through its expiry month).</summary>
    private static bool IsCurrentExpiry(string expiry, DateTimeOffset now)
    {
        if (!YearMonth().IsMatch(expiry))
            return false;
        var month = int.Parse(expiry[2..], CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
            return false;
        var year = 2000 + int.Parse(expiry[..2], CultureInfo.InvariantCulture);
        var today = SingapayWireFormat.InJakarta(now);
        return year * 12 + month >= today.Year * 12 + today.Month;
    }

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex YearMonth();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailAddress();

    private sealed class Fields(JsonObject body, Dictionary<string, List<string>> errors)
    {
        public void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var messages))
                errors[field] = messages = [];
            messages.Add(message);
        }

        public string? Text(string field, bool required, int? max = null, int? size = null)
        {
            var node = body[field];
            if (node is null || (node is JsonValue v && v.TryGetValue<string>(out var blank) && blank.Length == 0))
            {
                if (required)
                    Fail(field, $"The {field} field is required.");
                return null;
            }
            if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                Fail(field, $"The {field} field must be a string.");
                return null;
            }
            if (max is { } limit && text.Length > limit)
                Fail(field, $"The {field} field must not be greater than {limit} characters.");
            if (size is { } exact && text.Length != exact)
                Fail(field, $"The {field} field must be {exact} characters.");
            return text;
        }

        public void Email(string field, int max)
        {
            var text = Text(field, required: true, max: max);
            if (text is not null && !EmailAddress().IsMatch(text))
                Fail(field, $"The {field} field must be a valid email address.");
        }

        public decimal? Amount(string field, decimal min, decimal max)
        {
            var node = body[field];
            if (node is null)
            {
                Fail(field, $"The {field} field is required.");
                return null;
            }
            if (!TryNumber(node, out var amount))
            {
                Fail(field, $"The {field} field must be a number.");
                return null;
            }
            if (amount < min)
                Fail(field, $"The {field} field must be at least {min}.");
            else if (amount > max)
                Fail(field, $"The {field} field must not be greater than {max}.");
            return amount;
        }

        public bool? Boolean(string field)
        {
            var node = body[field];
            if (node is null)
                return null;
            if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                return node.GetValue<bool>();
            if (TryNumber(node, out var number) && number is 0 or 1)
                return number == 1;
            Fail(field, $"The {field} field must be true or false.");
            return null;
        }

        public string? Choice(string field, string[] allowed)
        {
            var node = body[field];
            if (node is null)
                return null;
            var text = node.GetValueKind() switch
            {
                JsonValueKind.String => node.GetValue<string>(),
                JsonValueKind.Number => node.ToJsonString(),
                _ => null,
            };
            if (text is null || !allowed.Contains(text))
            {
                Fail(field, $"The selected {field} is invalid.");
                return null;
            }
            return text;
        }

        private static bool TryNumber(JsonNode node, out decimal number)
        {
            number = 0;
            return node.GetValueKind() switch
            {
                JsonValueKind.Number => node.AsValue().TryGetValue(out number),
                JsonValueKind.String => decimal.TryParse(node.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
                _ => false,
            };
        }
    }
}
