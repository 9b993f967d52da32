namespace Payments.Contracts;

/// <summary>The only form of a card number that may be stored, logged or traced: 411111******1111.</summary>
public static class CardMask
{
    public static string Mask(string? number)
    {
        var digits = new string((number ?? "").Where(char.IsDigit).ToArray());
        if (digits.Length < 10)
            return new string('*', digits.Length);
        return digits[..6] + new string('*', digits.Length - 10) + digits[^4..];
    }
}
