using System.Collections.Concurrent;
using System.Text;
using Payments.Contracts;

namespace Payments.Processor.Observability;

/// <summary>
/// Recognises card data in telemetry: values that contain a card number (13 to 19 digits passing the Luhn check, alone
/// or printed in short groups joined by single spaces or dashes, not inside a word such as a hex id) and names that
/// announce a CVV, card number or expiry.
/// </summary>
public static class CardDataRedaction
{
    public const string Redacted = "[redacted]";

    // Compared with the name lower-cased and stripped of everything but letters and digits.
    private static readonly string[] SensitiveNameParts =
        ["cvv", "cvc", "cardnumber", "cardno", "securitycode", "expiry", "expdate", "expiration", "expirydate"];

    // Every span asks about each of its tag names; instrumentation uses a small set of them, so answers are kept.
    private const int NameVerdictLimit = 4096;
    private static readonly ConcurrentDictionary<string, bool> NameVerdicts = new(StringComparer.Ordinal);

    /// <summary>True for a tag or field name such as "card.cvv", "card_number", "Expiry" or "pan".</summary>
    public static bool IsSensitiveName(string name)
    {
        if (NameVerdicts.TryGetValue(name, out var known))
            return known;
        var verdict = JudgeName(name);
        if (NameVerdicts.Count < NameVerdictLimit)
            NameVerdicts.TryAdd(name, verdict);
        return verdict;
    }

    private static bool JudgeName(string name)
    {
        var normalized = new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        if (SensitiveNameParts.Any(part => normalized.Contains(part, StringComparison.Ordinal)))
            return true;
        // "pan" only as a whole word: "company" or "span" are not card numbers.
        return name.Split(['.', '_', '-', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Any(word => word.Equals("pan", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Replaces every card number in <paramref name="value"/> by its mask (411111******1111).</summary>
    /// <returns>False, and <paramref name="redacted"/> the value itself, when there is none.</returns>
    public static bool TryMaskCardNumbers(string value, out string redacted)
    {
        redacted = value;
        if (!HasEnoughDigits(value))
            return false;
        StringBuilder? output = null;
        var copiedUpTo = 0;
        var groups = DigitGroups(value);
        for (var first = 0; first < groups.Count; first++)
        {
            if (LongestCardFrom(groups, first) is not { } last)
                continue;
            var start = groups[first].Start;
            var end = groups[last].End;
            var digits = string.Concat(groups.Skip(first).Take(last - first + 1).Select(g => value[g.Start..g.End]));
            output ??= new StringBuilder(value.Length);
            output.Append(value, copiedUpTo, start - copiedUpTo).Append(CardMask.Mask(digits));
            copiedUpTo = end;
            first = last;
        }

        if (output is null)
            return false;
        output.Append(value, copiedUpTo, value.Length - copiedUpTo);
        redacted = output.ToString();
        return true;
    }

    public static bool ContainsCardNumber(string value) => TryMaskCardNumbers(value, out _);

    /// <summary>Most values hold fewer digits than the shortest card number: they are answered without allocating.</summary>
    private static bool HasEnoughDigits(string value)
    {
        var digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c) && ++digits >= MinimumCardDigits)
                return true;
        }
        return false;
    }

    private const int MinimumCardDigits = 13;

    /// <summary>
    /// The last group of the card number starting at group <paramref name="first"/>, or null. A run of 13-19 digits
    /// passing Luhn is a card by itself; short groups (up to 6 digits) joined by single spaces or dashes, as cards are
    /// printed ("4111 1111 1111 1111", "3782 822463 10005"), are one card when together they are (the longest wins).
    /// </summary>
    private static int? LongestCardFrom(List<DigitGroup> groups, int first)
    {
        if (groups[first].Digits.Length == 0)
            return null;
        if (IsCardNumber(groups[first].Digits))
            return first;
        int? found = null;
        var digits = new StringBuilder();
        for (var i = first; i < groups.Count; i++)
        {
            if ((i > first && !groups[i].JoinedToPrevious) || groups[i].Digits.Length is 0 or > 6)
                break;
            digits.Append(groups[i].Digits);
            if (digits.Length > 19)
                break;
            if (IsCardNumber(digits.ToString()))
                found = i;
        }
        return found;
    }

    private static bool IsCardNumber(string digits) => digits.Length is >= MinimumCardDigits and <= 19 && PassesLuhn(digits);

    private readonly record struct DigitGroup(int Start, int End, string Digits, bool JoinedToPrevious);

    /// <summary>
    /// Each run of digits, and whether a single space or dash joins it to the run before. A run touching a letter is
    /// kept as an empty group: it breaks a chain of groups without being a candidate itself.
    /// </summary>
    private static List<DigitGroup> DigitGroups(string value)
    {
        var groups = new List<DigitGroup>();
        var i = 0;
        while (i < value.Length)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
                i++;
            // Digits inside a word (hex ids such as trace ids, tokens) are not card numbers.
            if ((start > 0 && char.IsAsciiLetter(value[start - 1])) || (i < value.Length && char.IsAsciiLetter(value[i])))
            {
                groups.Add(new DigitGroup(start, i, "", JoinedToPrevious: false));
                continue;
            }
            var joined = groups.Count > 0 && start - groups[^1].End == 1 && value[start - 1] is ' ' or '-';
            groups.Add(new DigitGroup(start, i, value[start..i], joined));
        }
        return groups;
    }

    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
