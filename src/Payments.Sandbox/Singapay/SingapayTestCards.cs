namespace Payments.Sandbox.Singapay;

/// <summary>What the simulated issuer does with a card. Documented in docs/sandbox-test-cards.md.</summary>
public enum SingapayCardScenario
{
    /// <summary>Accepted at once (action=complete, status processing), settles to success.</summary>
    Success,
    /// <summary>Needs 3-D Secure (action=redirect): confirmed or cancelled on the sandbox's 3DS page.</summary>
    ThreeDs,
    /// <summary>Declined by the issuer: SP001.</summary>
    Declined,
    /// <summary>Insufficient funds: SP003.</summary>
    InsufficientFunds,
    /// <summary>Charged, but the answer is SP005 "upstream timeout" after a short delay.</summary>
    UpstreamTimeout,
    /// <summary>Charged, but the answer comes only after the client's timeout.</summary>
    Hang,
}

public static class SingapayTestCards
{
    public const string Success = "4111111111111111";
    public const string ThreeDs = "4000000000003220";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000000051";
    public const string UpstreamTimeout = "4000000000000119";
    public const string Hang = "4000000000000127";

    /// <summary>Any card not listed behaves like <see cref="Success"/>.</summary>
    public static SingapayCardScenario ScenarioFor(string cardNumber) => cardNumber switch
    {
        ThreeDs => SingapayCardScenario.ThreeDs,
        Declined => SingapayCardScenario.Declined,
        InsufficientFunds => SingapayCardScenario.InsufficientFunds,
        UpstreamTimeout => SingapayCardScenario.UpstreamTimeout,
        Hang => SingapayCardScenario.Hang,
        _ => SingapayCardScenario.Success,
    };
}
