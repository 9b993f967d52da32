using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using Payments.Contracts;

namespace Payments.Processor.Payments;

public sealed record ValidationFailure(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>
/// Every rule a charge must pass before any gateway call or any row is written: Singapay's card payment page
/// (seed 004), Finpay's one-click charge (seed 000) and the saga table's column lengths (PaymentStateMap), whichever
/// is tighter. All failures are reported at once. Messages name the field and never echo its value.
/// </summary>
public static partial class ChargeRequestValidator
{
    public const long MinAmount = 5_000;
    public const long MaxAmount = 999_999_999;

    /// <summary>The payments table's column and Singapay's <c>reference_no</c> are both 100 characters.</summary>
    public const int MaxMerchantReferenceLength = 100;

    /// <summary>The only currency both gateways document (Singapay: "amount in IDR"; Finpay's samples).</summary>
    public const string AcceptedCurrency = "IDR";

    private static readonly int[] InstallmentPeriods = [3, 6, 12];
    private static readonly TimeSpan JakartaOffset = TimeSpan.FromHours(7);

    /// <summary>Every failing field of <paramref name="charge"/>; empty when it may be charged.</summary>
    public static IReadOnlyList<ValidationFailure> Validate(ChargeRequested charge, DateTimeOffset now) =>
        Validations(charge, now).ToList();

    /// <summary>Every failing field with what it accepts: the <c>errors</c> of a 400 answer and of PaymentCompleted.</summary>
    public static Dictionary<string, string[]> ByField(IEnumerable<ValidationFailure> failures) =>
        failures.GroupBy(f => f.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(f => f.Reason).ToArray(), StringComparer.Ordinal);

    /// <summary>One line naming every failing field, e.g. for a payment's failure reason.</summary>
    public static string Describe(IEnumerable<ValidationFailure> failures) => string.Join("; ", failures);

    /// <summary>
    /// <paramref name="value"/> without control characters or unpaired surrogates, cut to <paramref name="max"/>
    /// characters: what may be stored of a field that failed validation.
    /// </summary>
    public static string Storable(string? value, int max)
    {
        var kept = new string((value ?? "").Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).ToArray());
        return kept.Length <= max ? kept : string.Concat(kept.AsSpan(0, max - 1), "…");
    }

    private static IEnumerable<ValidationFailure> Validations(ChargeRequested charge, DateTimeOffset now)
    {
        if (charge.PaymentId == Guid.Empty)
            yield return new("PaymentId", "is required");
        foreach (var failure in MerchantReferenceRules(charge.MerchantReference)) yield return failure;
        foreach (var failure in AccountIdRules(charge.AccountId)) yield return failure;
        if (charge.Amount is < MinAmount or > MaxAmount)
            yield return new("Amount", $"must be from {MinAmount.ToString("N0", CultureInfo.InvariantCulture)} to {MaxAmount.ToString("N0", CultureInfo.InvariantCulture)} IDR (whole rupiah)");
        if (!string.Equals(charge.Currency, AcceptedCurrency, StringComparison.Ordinal))
            yield return new("Currency", $"must be {AcceptedCurrency}, the only ISO 4217 currency the gateways accept");
        foreach (var failure in Text("GoodsName", charge.GoodsName, 255, required: true)) yield return failure;
        foreach (var failure in Text("Description", charge.Description, 500, required: false)) yield return failure;
        foreach (var failure in CustomerRules(charge.Customer)) yield return failure;

        if (charge.EncryptedCard is not null)
        {
            // A sealed card is checked once the saga has opened it (PaymentStateChanges.Accept).
            if (charge.Card is not null || charge.StoredCard is not null)
                yield return new("EncryptedCard", "give exactly one of Card, EncryptedCard or StoredCard");
            yield break;
        }

        switch (charge.Card, charge.StoredCard)
        {
            case (null, null):
                yield return new("Card", "one of Card or EncryptedCard (one-time payment) or StoredCard (one-click payment) is required");
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
        foreach (var failure in ReturnUrlRules(charge.ReturnUrl)) yield return failure;
    }

    /// <summary>
    /// The reference goes into gateway URL paths (Singapay's inquiry and cancel, Finpay's check): only characters that
    /// need no escaping there, and never a dot segment that a URL would resolve.
    /// </summary>
    private static IEnumerable<ValidationFailure> MerchantReferenceRules(string? reference)
    {
        const string field = "MerchantReference";
        if (string.IsNullOrEmpty(reference))
            yield return new(field, "is required");
        else if (reference.Length > MaxMerchantReferenceLength)
            yield return new(field, $"must be at most {MaxMerchantReferenceLength} characters");
        else if (!UrlSafeReference().IsMatch(reference))
            yield return new(field, "may contain only letters A-Z and a-z, digits 0-9 and . _ ~ - (it becomes part of gateway URLs)");
        else if (reference is "." or "..")
            yield return new(field, "must not be . or ..");
    }

    /// <summary>Singapay's merchant account id: a ULID (26 characters of Crockford's base 32) in the card URL paths.</summary>
    private static IEnumerable<ValidationFailure> AccountIdRules(string? accountId)
    {
        if (accountId is not null && !Ulid().IsMatch(accountId))
            yield return new("AccountId", "must be a merchant account ULID (26 letters and digits, e.g. 01K5G4FZZ18DMK0M5QTR8Y9QY9) or absent for the configured account");
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
        else if (card.Number.Length is < 12 or > 19 || !card.Number.All(char.IsAsciiDigit))
            yield return new("Card.Number", "must be 12 to 19 digits, without spaces or dashes");
        else if (!PassesLuhnCheck(card.Number))
            yield return new("Card.Number", "is not a valid card number (its check digit is wrong)");
        foreach (var f in ExpiryRules(card.Expiry, now)) yield return f;
        if (card.Cvv is not { Length: 3 or 4 } cvv || !cvv.All(char.IsAsciiDigit))
            yield return new("Card.Cvv", "must be 3 or 4 digits");
        foreach (var f in Text("Card.HolderName", card.HolderName, 45, required: true)) yield return f;
        foreach (var f in Email("Card.HolderEmail", card.HolderEmail, 100)) yield return f;
    }

    /// <summary>The Luhn (mod 10) check digit every payment card number carries.</summary>
    public static bool PassesLuhnCheck(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            sum += digit;
        }
        return sum % 10 == 0;
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

    private static IEnumerable<ValidationFailure> ReturnUrlRules(string? url)
    {
        if (url is null)
            yield break;
        if (url.Length > 2000)
            yield return new("ReturnUrl", "must be at most 2000 characters");
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                 || HasControlCharacter(url))
            yield return new("ReturnUrl", "must be an absolute http or https URL");
    }

    private static IEnumerable<ValidationFailure> Text(string field, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) yield return new(field, "is required");
        }
        else if (value.Length > max)
            yield return new(field, $"must be at most {max} characters");
        else if (HasControlCharacter(value))
            yield return new(field, "must not contain control characters (including NUL, tabs and line breaks)");
        else if (!IsWellFormedUnicode(value))
            yield return new(field, "must be valid Unicode text");
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

    private static bool HasControlCharacter(string value) => value.Any(char.IsControl);

    /// <summary>No unpaired surrogate: the database stores UTF-8 and refuses what can't be encoded.</summary>
    private static bool IsWellFormedUnicode(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(value[i]))
                return false;
        }
        return true;
    }

    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal)
        && value.LastIndexOf('.') > value.IndexOf('@', StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9._~-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex UrlSafeReference();

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ulid();
}
