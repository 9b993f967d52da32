namespace Payments.Sandbox.Finpay;

/// <summary>
/// How the simulated Finpay paces itself, bound from "Sandbox:Finpay:Simulation". Registered as a mutable singleton
/// so tests can shorten the delays after building the sandbox.
/// </summary>
public sealed class FinpaySimulationOptions
{
    public const string Section = "Sandbox:Finpay:Simulation";

    /// <summary>
    /// How long the "tok_timeout_then_success" token and the "timeout" fault hold the answer back: longer than a
    /// client's charge timeout (30 s). The wait ends early when the client disconnects.
    /// </summary>
    public TimeSpan HangDelay { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>Delivery attempts per callback (the first included) before the sandbox gives up.</summary>
    public int CallbackAttempts { get; set; } = 4;

    /// <summary>Pause between callback delivery attempts.</summary>
    public TimeSpan CallbackRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Used by "X-Sandbox-Callback: delay" when it gives no milliseconds.</summary>
    public TimeSpan DefaultCallbackDelay { get; set; } = TimeSpan.FromSeconds(2);
}
