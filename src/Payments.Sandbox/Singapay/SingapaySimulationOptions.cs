namespace Payments.Sandbox.Singapay;

/// <summary>
/// How the simulated Singapay paces itself, bound from "Sandbox:Singapay:Simulation". Registered as a mutable
/// singleton so tests can shorten the delays after building the sandbox.
/// </summary>
public sealed class SingapaySimulationOptions
{
    public const string Section = "Sandbox:Singapay:Simulation";

    /// <summary>How long an accepted (action=complete) payment stays "processing" before it settles to "success".</summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long the SP005 test card waits before answering "upstream timeout".</summary>
    public TimeSpan UpstreamTimeoutDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the hanging test card and the "timeout" fault hold the answer back: longer than a client's
    /// charge timeout (30 s). The wait ends early when the client disconnects.
    /// </summary>
    public TimeSpan HangDelay { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>How long every inquiry about a slow-inquiry test card waits before answering (under a client's 10 s inquiry timeout).</summary>
    public TimeSpan SlowInquiryDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Pause between callback delivery attempts (Singapay itself waits a minute).</summary>
    public TimeSpan CallbackRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Used by "X-Sandbox-Callback: delay" when it gives no milliseconds.</summary>
    public TimeSpan DefaultCallbackDelay { get; set; } = TimeSpan.FromSeconds(2);
}
