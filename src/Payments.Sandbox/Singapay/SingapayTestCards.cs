namespace Payments.Sandbox.Singapay;

/// <summary>What the simulated issuer does with a card. Documented in docs/sandbox-test-cards.md and docs/testing-cards.md.</summary>
public enum SingapayCardScenario
{
    /// <summary>Accepted at once (action=complete, status processing), settles to success.</summary>
    Success,
    /// <summary>Needs 3-D Secure (action=redirect): confirmed or cancelled on the sandbox's 3DS page.</summary>
    ThreeDs,
    /// <summary>Declined by the issuer: SP001, provider code 05.</summary>
    Declined,
    /// <summary>Insufficient funds: SP003, provider code 51.</summary>
    InsufficientFunds,
    /// <summary>Expired card: SP001 "Card Expiri Date Check Please.", provider code 54.</summary>
    ExpiredCard,
    /// <summary>Charged, but the answer is SP005 "upstream timeout" after a short delay.</summary>
    UpstreamTimeout,
    /// <summary>Charged, but the answer comes only after the client's timeout.</summary>
    Hang,
    /// <summary>Nothing charged or recorded: HTTP 500 SP002.</summary>
    GatewayError,
    /// <summary>Charged and settled like <see cref="Success"/>, but its callback is never sent.</summary>
    CallbackLost,
    /// <summary>Like <see cref="CallbackLost"/>, and every inquiry answer is held for <see cref="SingapaySimulationOptions.SlowInquiryDelay"/>.</summary>
    SlowInquiry,
}

public static class SingapayTestCards
{
    public const string Success = "4111111111111111";
    public const string ThreeDs = "4000000000003220";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000000051";
    public const string ExpiredCard = "4000000000000069";
    public const string UpstreamTimeout = "4000000000000119";
    public const string Hang = "4000000000000127";
    public const string GatewayError = "4000000000000507";
    public const string CallbackLost = "4000000000000135";
    public const string SlowInquiry = "4000000000000143";

    /// <summary>
    /// The card decides; any card not listed behaves like <see cref="Success"/> unless the amount's last two digits
    /// name a decline: 05 do not honor, 51 insufficient funds, 54 expired card (the ISO 8583 codes).
    /// </summary>
    public static SingapayCardScenario ScenarioFor(string cardNumber, decimal amount) => cardNumber switch
    {
        ThreeDs => SingapayCardScenario.ThreeDs,
        Declined => SingapayCardScenario.Declined,
        InsufficientFunds => SingapayCardScenario.InsufficientFunds,
        ExpiredCard => SingapayCardScenario.ExpiredCard,
        UpstreamTimeout => SingapayCardScenario.UpstreamTimeout,
        Hang => SingapayCardScenario.Hang,
        GatewayError => SingapayCardScenario.GatewayError,
        CallbackLost => SingapayCardScenario.CallbackLost,
        SlowInquiry => SingapayCardScenario.SlowInquiry,
        _ => ByAmount(amount),
    };

    private static SingapayCardScenario ByAmount(decimal amount) => (int)(decimal.Truncate(amount) % 100) switch
    {
        5 => SingapayCardScenario.Declined,
        51 => SingapayCardScenario.InsufficientFunds,
        54 => SingapayCardScenario.ExpiredCard,
        _ => SingapayCardScenario.Success,
    };
}
