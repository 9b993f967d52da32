using System.Text;
using Payments.Contracts;

namespace Payments.Processor.Observability;

/// <summary>
/// Recognises card data in telemetry: values that contain a card number (13 to 19 digits, optionally grouped by
/// single spaces or dashes, passing the Luhn check) and names that announce a CVV, card number or expiry.
/// </summary>
public static class CardDataRedaction
{
    public const string Redacted = "[redacted]";

    // Compared with the name lower-cased and stripped of '.', '_', '-' and spaces.
    private static readonly string[] SensitiveNameParts =
        ["cvv", "cvc", "cardnumber", "cardno", "securitycode", "expiry", "expdate", "expiration", "expirydate"];

    /// <summary>True for a tag or field name such as "card.cvv", "card_number", "Expiry" or "pan".</summary>
    public static bool IsSensitiveName(string name)
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
        StringBuilder? output = null;
        var copiedUpTo = 0;
        var i = 0;
        while (i < value.Length)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                i++;
                continue;
            }

            var (end, digits) = ReadDigitRun(value, i);
            if (digits.Length is >= 13 and <= 19 && PassesLuhn(digits))
            {
                output ??= new StringBuilder(value.Length);
                output.Append(value, copiedUpTo, i - copiedUpTo).Append(CardMask.Mask(digits));
                copiedUpTo = end;
            }
            i = end;
        }

        if (output is null)
            return false;
        output.Append(value, copiedUpTo, value.Length - copiedUpTo);
        redacted = output.ToString();
        return true;
    }

    public static bool ContainsCardNumber(string value) => TryMaskCardNumbers(value, out _);

    /// <summary>Digits from <paramref name="start"/>, allowing one space or dash between two digits (4111 1111 …).</summary>
    private static (int End, string Digits) ReadDigitRun(string value, int start)
    {
        var digits = new StringBuilder();
        var i = start;
        while (i < value.Length)
        {
            if (char.IsAsciiDigit(value[i]))
            {
                digits.Append(value[i]);
                i++;
            }
            else if (value[i] is ' ' or '-' && i + 1 < value.Length && char.IsAsciiDigit(value[i + 1]) && i > start)
            {
                i++;
            }
            else
            {
                break;
            }
        }
        return (i, digits.ToString());
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
