using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Payments.Sandbox.Finpay;

/// <summary>What the simulated issuer does with a stored card. Documented in docs/sandbox-test-cards.md.</summary>
public enum FinpayTokenOutcome
{
    /// <summary>Charged: 2000000, status PAID.</summary>
    Success,
    /// <summary>Refused by the issuer: 4030005 Do Not Honor, status FAILED.</summary>
    Declined,
    /// <summary>Refused by the issuer: 4030014 Insufficient Funds, status FAILED.</summary>
    InsufficientFunds,
    /// <summary>Charged (PAID), but the answer is held back past the client's timeout, then 504 / 5040000.</summary>
    TimeoutThenSuccess,
    /// <summary>Charged (PAID), but the answer is 504 / 5040000 at once.</summary>
    ErrorThenSuccess,
}

/// <summary>A stored card: Finpay knows the card behind the token; the sandbox keeps only a masked number.</summary>
public sealed record FinpayStoredCard(string Token, string? CustomerId, string CardMasked, FinpayTokenOutcome Outcome)
{
    /// <summary>Pre-seeded tokens serve every customer; stored ones only the customer they were stored for.</summary>
    public bool ServesCustomer(string customerId) => CustomerId is null || CustomerId == customerId;
}

/// <summary>
/// The stored cards the simulated Finpay can charge: a few pre-seeded tokens (<see cref="Seeded"/>) plus those stored
/// through POST /finpay/_sandbox/tokens, until deleted with GET /finpay/pg/payment/card/customer/delete/{cardToken}.
/// </summary>
public sealed class FinpayTokenVault
{
    public const string SuccessVisa = "tok_success_visa";
    public const string SuccessMastercard = "tok_success_mastercard";
    public const string Declined = "tok_declined";
    public const string InsufficientFunds = "tok_insufficient_funds";
    public const string TimeoutThenSuccess = "tok_timeout_then_success";
    public const string ErrorThenSuccess = "tok_error_then_success";
    /// <summary>The token of Finpay's own sample request (the seed page), charged successfully.</summary>
    public const string SeedSample = "81b36a850c2e40458bad296f952084b516c919ca717d448722782769b81b9fd9";

    public static readonly IReadOnlyList<FinpayStoredCard> Seeded =
    [
        new(SuccessVisa, null, "411111******1111", FinpayTokenOutcome.Success),
        new(SuccessMastercard, null, "555555******4444", FinpayTokenOutcome.Success),
        new(Declined, null, "400000******0002", FinpayTokenOutcome.Declined),
        new(InsufficientFunds, null, "400000******0051", FinpayTokenOutcome.InsufficientFunds),
        new(TimeoutThenSuccess, null, "400000******0127", FinpayTokenOutcome.TimeoutThenSuccess),
        new(ErrorThenSuccess, null, "400000******0119", FinpayTokenOutcome.ErrorThenSuccess),
        new(SeedSample, null, "411111******1111", FinpayTokenOutcome.Success),
    ];

    private readonly ConcurrentDictionary<string, FinpayStoredCard> _cards =
        new(Seeded.Select(card => KeyValuePair.Create(card.Token, card)), StringComparer.Ordinal);

    public FinpayStoredCard? Find(string token) => _cards.GetValueOrDefault(token);

    /// <summary>Stores a new card for a customer under a fresh 64-hex-character token, Finpay's token format.</summary>
    public FinpayStoredCard Store(string customerId, FinpayTokenOutcome outcome, string cardMasked)
    {
        while (true)
        {
            var card = new FinpayStoredCard(RandomNumberGenerator.GetHexString(64, lowercase: true), customerId, cardMasked, outcome);
            if (_cards.TryAdd(card.Token, card))
                return card;
        }
    }

    public bool Delete(string token) => _cards.TryRemove(token, out _);
}
