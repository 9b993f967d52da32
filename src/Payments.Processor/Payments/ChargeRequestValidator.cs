using System.Globalization;
using System.Net.Mail;
using Payments.Contracts;

namespace Payments.Processor.Payments;

public sealed record ValidationFailure(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>
/// The rules of Singapay's card payment page (seed 004) and Finpay's one-click charge (seed 000), checked before
/// any gateway call. Messages name the field and never echo card data.
/// </summary>
public static class ChargeRequestValidator
{
    public const long MinAmount = 5_000;
    public const long MaxAmount = 999_999_999;
    private static readonly int[] InstallmentPeriods = [3, 6, 12];
    private static readonly TimeSpan JakartaOffset = TimeSpan.FromHours(7);

    public static ValidationFailure? Validate(ChargeRequested charge, DateTimeOffset now) =>
        Validations(charge, now).FirstOrDefault();

    public static IEnumerable<ValidationFailure> Validations(ChargeRequested charge, DateTimeOffset now)
    {
        if (charge.PaymentId == Guid.Empty)
            yield return new("PaymentId", "is required");
        foreach (var failure in Text("MerchantReference", charge.MerchantReference, 100, required: true))
            yield return failure;
        if (charge.Amount is < MinAmount or > MaxAmount)
            yield return new("Amount", $"must be from {MinAmount:N0} to {MaxAmount:N0} IDR (whole rupiah)");
        if (charge.Currency != "IDR")
            yield return new("Currency", "must be IDR");
        foreach (var failure in Text("GoodsName", charge.GoodsName, 255, required: true)) yield return failure;
        foreach (var failure in Text("Description", charge.Description, 500, required: false)) yield return failure;
        foreach (var failure in CustomerRules(charge.Customer)) yield return failure;

        switch (charge.Card, charge.StoredCard)
        {
            case (null, null):
                yield return new("Card", "either Card (one-time payment) or StoredCard (one-click payment) is required");
                break;
            case (not null, not null):
                yield return new("Card", "give either Card or StoredCard, not both");
                break;
            case (not null, null):
                foreach (var failure in CardRules(charge.Card, now)) yield return failure;
                break;
            case (null, not null):
                foreach (var failure in StoredCardRules(charge.StoredCard)) yield return failure;
                if (charge.InstallmentMonths is not null)
                    yield return new("InstallmentMonths", "installments are not available for stored-card (Finpay) payments");
                break;
        }

        if (charge.InstallmentMonths is { } months && !InstallmentPeriods.Contains(months))
            yield return new("InstallmentMonths", "must be 3, 6 or 12 (or absent for a full payment)");
        if (charge.ReturnUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            yield return new("ReturnUrl", "must be an absolute URL");
    }

    private static IEnumerable<ValidationFailure> CustomerRules(Customer? customer)
    {
        if (customer is null)
        {
            yield return new("Customer", "is required");
            yield break;
        }
        foreach (var f in Text("Customer.Name", customer.Name, 255, required: true)) yield return f;
        foreach (var f in Email("Customer.Email", customer.Email, 255)) yield return f;
        foreach (var f in Text("Customer.Phone", customer.Phone, 50, required: true)) yield return f;
        foreach (var f in Text("Customer.Address", customer.Address, 500, required: true)) yield return f;
        foreach (var f in Text("Customer.City", customer.City, 100, required: true)) yield return f;
        foreach (var f in Text("Customer.State", customer.State, 100, required: true)) yield return f;
        foreach (var f in Text("Customer.PostalCode", customer.PostalCode, 20, required: true)) yield return f;
        if (customer.Country is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
            yield return new("Customer.Country", "must be a 2-letter ISO country code in capitals, e.g. ID");
    }

    private static IEnumerable<ValidationFailure> CardRules(CardDetails card, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(card.Number))
            yield return new("Card.Number", "is required");
        else if (card.Number.Length > 20 || !card.Number.All(char.IsAsciiDigit) || card.Number.Length < 12)
            yield return new("Card.Number", "must be 12 to 20 digits, without spaces or dashes");
        foreach (var f in ExpiryRules(card.Expiry, now)) yield return f;
        if (card.Cvv is not { Length: 3 or 4 } cvv || !cvv.All(char.IsAsciiDigit))
            yield return new("Card.Cvv", "must be 3 or 4 digits");
        foreach (var f in Text("Card.HolderName", card.HolderName, 45, required: true)) yield return f;
        foreach (var f in Email("Card.HolderEmail", card.HolderEmail, 100)) yield return f;
    }

    private static IEnumerable<ValidationFailure> ExpiryRules(string? expiry, DateTimeOffset now)
    {
        if (expiry is not { Length: 4 } || !expiry.All(char.IsAsciiDigit)
            || !DateTime.TryParseExact(expiry, "yyMM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            yield return new("Card.Expiry", "must be YYMM, e.g. 2912 for December 2029");
            yield break;
        }
        // A card is valid through the last day of its expiry month, in the gateway's time zone.
        var jakartaToday = now.ToOffset(JakartaOffset).Date;
        if (month.AddMonths(1) <= jakartaToday)
            yield return new("Card.Expiry", "the card has expired");
    }

    private static IEnumerable<ValidationFailure> StoredCardRules(StoredCard stored)
    {
        foreach (var f in Text("StoredCard.Token", stored.Token, 100, required: true)) yield return f;
        foreach (var f in Text("StoredCard.CustomerId", stored.CustomerId, 100, required: true)) yield return f;
    }

    private static IEnumerable<ValidationFailure> Text(string field, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) yield return new(field, "is required");
        }
        else if (value.Length > max)
            yield return new(field, $"must be at most {max} characters");
    }

    private static IEnumerable<ValidationFailure> Email(string field, string? value, int max)
    {
        foreach (var f in Text(field, value, max, required: true))
        {
            yield return f;
            yield break;
        }
        if (!IsEmail(value!))
            yield return new(field, "must be an email address");
    }

    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal)
        && value.LastIndexOf('.') > value.IndexOf('@');
}
