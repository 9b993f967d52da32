using Payments.Contracts;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class ChargeRequestValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static ValidationFailure? Validate(ChargeRequested charge) => ChargeRequestValidator.Validate(charge, Now) is [var first, ..] ? first : null;

    private static ChargeRequested WithCard(Func<CardDetails, CardDetails> change)
    {
        var charge = Charges.Valid();
        return charge with { Card = change(charge.Card!) };
    }

    private static ChargeRequested WithCustomer(Func<Customer, Customer> change)
    {
        var charge = Charges.Valid();
        return charge with { Customer = change(charge.Customer) };
    }

    [Fact]
    public void A_complete_one_time_charge_is_valid() => Assert.Null(Validate(Charges.Valid()));

    [Fact]
    public void A_complete_one_click_charge_is_valid() => Assert.Null(Validate(Charges.OneClick()));

    [Theory]
    [InlineData(4_999, false)]
    [InlineData(5_000, true)]
    [InlineData(999_999_999, true)]
    [InlineData(1_000_000_000, false)]
    [InlineData(0, false)]
    [InlineData(-5_000, false)]
    public void Amount_is_from_5000_to_999999999(long amount, bool valid)
    {
        var failure = Validate(Charges.Valid() with { Amount = amount });
        Assert.Equal(valid, failure is null);
        if (!valid) Assert.Equal("Amount", failure!.Field);
    }

    public static TheoryData<string, int> MaximumLengths => new()
    {
        { "GoodsName", 255 }, { "Description", 500 }, { "MerchantReference", 100 },
        { "Customer.Name", 255 }, { "Customer.Phone", 50 }, { "Customer.Address", 500 }, { "Customer.City", 100 },
        { "Customer.State", 100 }, { "Customer.PostalCode", 20 }, { "Card.HolderName", 45 },
    };

    [Theory]
    [MemberData(nameof(MaximumLengths))]
    public void Each_field_has_its_maximum_length(string field, int max)
    {
        ChargeRequested With(string value) => field switch
        {
            "GoodsName" => Charges.Valid() with { GoodsName = value },
            "Description" => Charges.Valid() with { Description = value },
            "MerchantReference" => Charges.Valid() with { MerchantReference = value },
            "Customer.Name" => WithCustomer(c => c with { Name = value }),
            "Customer.Phone" => WithCustomer(c => c with { Phone = value }),
            "Customer.Address" => WithCustomer(c => c with { Address = value }),
            "Customer.City" => WithCustomer(c => c with { City = value }),
            "Customer.State" => WithCustomer(c => c with { State = value }),
            "Customer.PostalCode" => WithCustomer(c => c with { PostalCode = value }),
            "Card.HolderName" => WithCard(c => c with { HolderName = value }),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        Assert.Null(Validate(With(new string('a', max))));
        var failure = Validate(With(new string('a', max + 1)));
        Assert.Equal(field, failure?.Field);
        Assert.Contains($"at most {max}", failure!.Reason);
    }

    [Theory]
    [InlineData("Customer.Email", 255)]
    [InlineData("Card.HolderEmail", 100)]
    public void Emails_have_a_maximum_length(string field, int max)
    {
        var tooLong = new string('a', max - "@example.com".Length + 1) + "@example.com";
        var charge = field == "Customer.Email"
            ? WithCustomer(c => c with { Email = tooLong })
            : WithCard(c => c with { HolderEmail = tooLong });
        Assert.Equal(field, Validate(charge)?.Field);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("john@")]
    [InlineData("john@example")]
    [InlineData("john doe@example.com")]
    [InlineData("")]
    public void Emails_must_be_email_addresses(string email)
    {
        Assert.Equal("Customer.Email", Validate(WithCustomer(c => c with { Email = email }))?.Field);
        Assert.Equal("Card.HolderEmail", Validate(WithCard(c => c with { HolderEmail = email }))?.Field);
    }

    [Theory]
    [InlineData("IDN")]
    [InlineData("I")]
    [InlineData("id")]
    [InlineData("")]
    public void Country_is_two_capital_letters(string country) =>
        Assert.Equal("Customer.Country", Validate(WithCustomer(c => c with { Country = country }))?.Field);

    [Theory]
    [InlineData("2611", true)]   // November 2026: valid through the end of the month
    [InlineData("2610", false)]  // October 2026: expired
    [InlineData("2912", true)]
    [InlineData("1229", false)]  // MMYY, not YYMM: month 29 does not exist
    [InlineData("261", false)]
    [InlineData("26-1", false)]
    [InlineData("2613", false)]
    public void Expiry_is_YYMM_and_not_in_the_past(string expiry, bool valid)
    {
        var failure = Validate(WithCard(c => c with { Expiry = expiry }));
        Assert.Equal(valid, failure is null);
        if (!valid)
        {
            Assert.Equal("Card.Expiry", failure!.Field);
            Assert.DoesNotContain(expiry, failure.Reason);
        }
    }

    [Fact]
    public void Expiry_uses_the_Jakarta_date()
    {
        // 30 Nov 2026 18:00 UTC is already 1 Dec 2026 in Jakarta: a card expiring 2611 is no longer valid there.
        var lateNovemberUtc = new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
        Assert.Equal("Card.Expiry", (ChargeRequestValidator.Validate(WithCard(c => c with { Expiry = "2611" }), lateNovemberUtc) is [var first, ..] ? first.Field : null));
        Assert.Empty(ChargeRequestValidator.Validate(WithCard(c => c with { Expiry = "2611" }), lateNovemberUtc.AddHours(-2)));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(6, true)]
    [InlineData(12, true)]
    [InlineData(1, false)]
    [InlineData(24, false)]
    public void Installments_are_3_6_or_12_months(int months, bool valid)
    {
        var failure = Validate(Charges.Valid() with { InstallmentMonths = months });
        Assert.Equal(valid, failure is null);
        if (!valid) Assert.Equal("InstallmentMonths", failure!.Field);
    }

    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("411111111111111111111")]
    [InlineData("41111111111111111111")]
    [InlineData("")]
    public void Card_number_is_digits_only_up_to_20(string number)
    {
        var failure = Validate(WithCard(c => c with { Number = number }));
        Assert.Equal("Card.Number", failure?.Field);
        if (number.Length > 0)
            Assert.DoesNotContain(number, failure!.Reason);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("12345")]
    [InlineData("12a")]
    public void Cvv_is_3_or_4_digits(string cvv) =>
        Assert.Equal("Card.Cvv", Validate(WithCard(c => c with { Cvv = cvv }))?.Field);

    [Fact]
    public void Both_card_and_stored_card_is_refused() =>
        Assert.Equal("Card", Validate(Charges.Valid() with { StoredCard = new StoredCard { Token = "t", CustomerId = "c" } })?.Field);

    [Fact]
    public void Neither_card_nor_stored_card_is_refused() =>
        Assert.Equal("Card", Validate(Charges.Valid() with { Card = null })?.Field);

    [Fact]
    public void A_stored_card_needs_its_token() =>
        Assert.Equal("StoredCard.Token", Validate(Charges.OneClick() with { StoredCard = new StoredCard { Token = "", CustomerId = "c" } })?.Field);

    [Fact]
    public void Installments_are_refused_for_stored_cards() =>
        Assert.Equal("InstallmentMonths", Validate(Charges.OneClick() with { InstallmentMonths = 3 })?.Field);

    [Theory]
    [InlineData("USD")]
    [InlineData("IDRX")]
    [InlineData("idr")]
    [InlineData("")]
    public void Currency_is_IDR(string currency) =>
        Assert.Equal("Currency", Validate(Charges.Valid() with { Currency = currency })?.Field);

    [Fact]
    public void Required_fields_are_named() =>
        Assert.Equal("GoodsName", Validate(Charges.Valid() with { GoodsName = " " })?.Field);

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("4000000000000001")]
    public void A_card_number_must_pass_the_Luhn_check(string number)
    {
        var failure = Validate(WithCard(c => c with { Number = number }));
        Assert.Equal("Card.Number", failure?.Field);
        Assert.Contains("check digit", failure!.Reason);
        Assert.DoesNotContain(number, failure.Reason);
    }

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4000000000003220")]
    [InlineData("4000000000000002")]
    [InlineData("4000000000000119")]
    public void The_sandbox_test_cards_pass_the_Luhn_check(string number) =>
        Assert.True(ChargeRequestValidator.PassesLuhnCheck(number));

    [Theory]
    [InlineData("ORD/../../x")]
    [InlineData("ORD 1")]
    [InlineData("ORD?x=1")]
    [InlineData("ORD#1")]
    [InlineData("ORD%2F1")]
    [InlineData("ÖRD-1")]
    [InlineData(".")]
    [InlineData("..")]
    public void A_merchant_reference_is_only_characters_safe_in_a_url_path(string reference) =>
        Assert.Equal("MerchantReference", Validate(Charges.Valid() with { MerchantReference = reference })?.Field);

    [Theory]
    [InlineData("ORD-2026.11_21~a")]
    [InlineData("1685522307103")]
    public void Url_safe_merchant_references_are_accepted(string reference) =>
        Assert.Null(Validate(Charges.Valid() with { MerchantReference = reference }));

    [Theory]
    [InlineData("\0")]
    [InlineData("\n")]
    [InlineData("\t")]
    [InlineData("\u007f")]
    [InlineData("\u0085")]
    public void No_text_field_may_hold_a_control_character(string control)
    {
        var charge = Charges.Valid() with
        {
            GoodsName = $"Premium{control}",
            Description = $"Monthly{control}",
            MerchantReference = $"ORD{control}1",
            Customer = Charges.Valid().Customer with { Name = $"John{control}Doe", City = $"Jakarta{control}" },
            Card = Charges.Valid().Card! with { HolderName = $"John{control}" },
        };
        var fields = ChargeRequestValidator.Validate(charge, Now).Select(f => f.Field).ToList();
        Assert.Equal(["MerchantReference", "GoodsName", "Description", "Customer.Name", "Customer.City", "Card.HolderName"], fields);
    }

    [Fact]
    public void An_unpaired_surrogate_is_refused() =>
        Assert.Equal("GoodsName", Validate(Charges.Valid() with { GoodsName = "Premium \ud800" })?.Field);

    [Theory]
    [InlineData("01K5G4FZZ18DMK0M5QTR8Y9QY9", true)]
    [InlineData("01k5g4fzz18dmk0m5qtr8y9qy9", true)]
    [InlineData("01K5G4FZZ18DMK0M5QTR8Y9QY", false)]
    [InlineData("../../admin", false)]
    [InlineData("01K5G4FZZ18DMK0M5QTR8Y9QYU", false)]
    public void An_account_id_is_a_ulid(string accountId, bool valid) =>
        Assert.Equal(valid ? null : "AccountId", Validate(Charges.Valid() with { AccountId = accountId })?.Field);

    [Fact]
    public void A_megabyte_account_id_is_refused() =>
        Assert.Equal("AccountId", Validate(Charges.Valid() with { AccountId = new string('A', 1_000_000) })?.Field);

    [Fact]
    public void A_return_url_is_absolute_http_or_https()
    {
        Assert.Null(Validate(Charges.Valid() with { ReturnUrl = "https://shop.example/return" }));
        Assert.Equal("ReturnUrl", Validate(Charges.Valid() with { ReturnUrl = "javascript:alert(1)" })?.Field);
        Assert.Equal("ReturnUrl", Validate(Charges.Valid() with { ReturnUrl = "/relative" })?.Field);
        Assert.Equal("ReturnUrl", Validate(Charges.Valid() with { ReturnUrl = "https://shop.example/" + new string('a', 2000) })?.Field);
    }

    [Fact]
    public void Every_failing_field_is_reported_at_once()
    {
        var charge = Charges.Valid() with
        {
            MerchantReference = new string('r', 101),
            Currency = "IDRX",
            Amount = 1,
            Customer = Charges.Valid().Customer with { Email = "nope", Country = "IDN" },
            Card = Charges.Valid().Card! with { Number = "4111111111111112", Cvv = "1" },
        };

        var failures = ChargeRequestValidator.Validate(charge, Now);

        Assert.Equal(["MerchantReference", "Amount", "Currency", "Customer.Email", "Customer.Country", "Card.Number", "Card.Cvv"],
            failures.Select(f => f.Field));
        var reason = ChargeRequestValidator.Describe(failures);
        Assert.StartsWith("MerchantReference: must be at most 100 characters; Amount: ", reason);
        Assert.DoesNotContain("4111111111111112", reason);
    }

    [Fact]
    public void What_is_stored_of_an_invalid_field_fits_its_column_and_holds_no_control_character()
    {
        Assert.Equal("ORD1", ChargeRequestValidator.Storable("ORD\01", 100));
        var cut = ChargeRequestValidator.Storable(new string('r', 500), 100);
        Assert.Equal(100, cut.Length);
        Assert.EndsWith("…", cut);
        Assert.Equal("", ChargeRequestValidator.Storable(null, 3));
    }
}
