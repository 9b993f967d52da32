using System.Reflection;
using System.Text.RegularExpressions;
using Payments.Contracts;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Support;
using Payments.Sandbox.Singapay;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>
/// Finds card data in text: any test card number (tests' <see cref="Charges"/> and the sandbox's test cards,
/// docs/sandbox-test-cards.md), any other number that looks like a card (13-19 digits passing Luhn), and the CVV or
/// expiry of the charges a test sent where they appear as card data ("cvv":"123", Expiry=2912, cvv 123…).
/// </summary>
public sealed class CardDataScanner
{
    private readonly HashSet<string> _cardNumbers = new(KnownTestCards());
    private readonly HashSet<string> _cvvs = [];
    private readonly HashSet<string> _expiries = [];

    public static IEnumerable<string> KnownTestCards() =>
        typeof(SingapayTestCards).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Append(Charges.SuccessCard);

    /// <summary>Also look for this charge's card number, CVV and expiry.</summary>
    public CardDataScanner Watch(ChargeRequested charge)
    {
        if (charge.Card is { } card)
        {
            if (card.Number.Length > 0) _cardNumbers.Add(card.Number);
            if (card.Cvv.Length > 0) _cvvs.Add(card.Cvv);
            if (card.Expiry.Length > 0) _expiries.Add(card.Expiry);
        }
        return this;
    }

    public CardDataScanner WatchCvv(string cvv)
    {
        _cvvs.Add(cvv);
        return this;
    }

    /// <summary>Each finding names what was found (masked) and where.</summary>
    public IReadOnlyList<string> Scan(IEnumerable<string> texts)
    {
        var findings = new List<string>();
        foreach (var text in texts)
        {
            foreach (var number in _cardNumbers.Where(n => text.Contains(n, StringComparison.Ordinal)))
                findings.Add($"card number {CardMask.Mask(number)} in: {Excerpt(text, number)}");
            // A span or trace id can be all decimal digits by chance: those are ids, not cards.
            var withoutIds = TraceIds.Replace(text, "");
            if (CardDataRedaction.TryMaskCardNumbers(withoutIds, out var masked) && !_cardNumbers.Any(n => text.Contains(n, StringComparison.Ordinal)))
                findings.Add($"a Luhn-valid card-like number in: {Excerpt(masked, "******")}");
            foreach (var cvv in _cvvs.Where(c => CardContext("cvv|cvc|cvv2|security.?code", c).IsMatch(text)))
                findings.Add($"CVV {new string('*', cvv.Length)} in: {Excerpt(text, "cv")}");
            foreach (var expiry in _expiries.Where(e => CardContext("expiry|expiration|exp.?date|card.?exp", e).IsMatch(text)))
                findings.Add($"expiry in: {Excerpt(text, "exp")}");
        }
        return findings;
    }

    private static readonly Regex TraceIds = new(
        @"(?i)\b(?:trace|span|parent)_?id[""'\s]*[:=][""'\s]*[0-9a-f]{16,32}\b|\b00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\b",
        RegexOptions.CultureInvariant);

    /// <summary>The value right after a name that says what it is: "cvv":"123", Cvv = 123, cvv=123, CVV 123.</summary>
    private static Regex CardContext(string names, string value) =>
        new($@"(?i)\b\w*(?:{names})\w*\b[""'\s\\]*[:=]?[""'\s\\]*{Regex.Escape(value)}(?!\d)", RegexOptions.CultureInvariant);

    private string Excerpt(string text, string around)
    {
        var at = Math.Max(0, text.IndexOf(around, StringComparison.OrdinalIgnoreCase));
        var start = Math.Max(0, at - 60);
        var excerpt = text.Substring(start, Math.Min(text.Length - start, 140));
        // The finding must not leak into the test's own output.
        foreach (var number in _cardNumbers)
            excerpt = excerpt.Replace(number, CardMask.Mask(number), StringComparison.Ordinal);
        return CardDataRedaction.TryMaskCardNumbers(excerpt, out var masked) ? masked : excerpt;
    }
}
