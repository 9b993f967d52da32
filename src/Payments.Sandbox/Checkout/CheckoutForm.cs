using System.Globalization;
using Microsoft.AspNetCore.Http;
using Payments.Contracts;

namespace Payments.Sandbox.Checkout;

/// <summary>What the shopper typed into the checkout form. The card fields live only in this request.</summary>
public sealed record CheckoutForm(string Reference, string Amount, string HolderName, string CardNumber, string Expiry, string Cvv)
{
    public static CheckoutForm Blank() =>
        new($"SHOP-{DateTime.UtcNow:yyyyMMdd}-{Random.Shared.Next(100000, 999999)}", "150000", "John Doe", "", "12/29", "");

    public static CheckoutForm Read(IFormCollection form) =>
        new(form["reference"].ToString().Trim(), form["amount"].ToString().Trim(), form["holderName"].ToString().Trim(),
            form["cardNumber"].ToString(), form["expiry"].ToString(), form["cvv"].ToString());

    /// <summary>The form again after a refused charge: what was typed, but never the card back into the page.</summary>
    public CheckoutForm WithoutCard() => this with { CardNumber = "", Cvv = "" };

    /// <summary>The charge to request, or null (with <paramref name="error"/>) when the amount is not a whole number of rupiah.</summary>
    public ChargeRequested? ToCharge(string returnUrl, out string? error)
    {
        error = null;
        var digits = Amount.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            error = "Amount: must be a whole number of rupiah, e.g. 150000";
            return null;
        }
        return new ChargeRequested
        {
            MerchantReference = Reference,
            Amount = amount,
            Currency = "IDR",
            GoodsName = "Demo shop order",
            Customer = new Customer
            {
                Name = HolderName,
                Email = "shopper@example.com",
                Phone = "08123456789",
                Address = "Jl. Sudirman No. 1",
                City = "Jakarta",
                State = "DKI Jakarta",
                PostalCode = "10210",
                Country = "ID",
            },
            Card = new CardDetails
            {
                Number = new string(CardNumber.Where(char.IsAsciiDigit).ToArray()),
                Expiry = YearMonth(Expiry),
                Cvv = Cvv.Trim(),
                HolderName = HolderName,
                HolderEmail = "shopper@example.com",
            },
            ReturnUrl = returnUrl,
        };
    }

    /// <summary>Shoppers write MM/YY; the processor takes YYMM. Anything else goes as typed, for the processor to name.</summary>
    private static string YearMonth(string expiry)
    {
        var parts = expiry.Split('/', StringSplitOptions.TrimEntries);
        return parts is [{ Length: 2 } month, { Length: 2 } year] ? year + month : expiry.Trim();
    }
}
