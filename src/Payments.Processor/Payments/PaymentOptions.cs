namespace Payments.Processor.Payments;

/// <summary>Bound from the "Payments" configuration section.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>Delays between inquiry polls while a payment is not final; the last one repeats.</summary>
    public TimeSpan[] InquiryBackoff { get; set; } =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)];

    /// <summary>How long the customer has to finish 3-D Secure before the payment fails and is voided.</summary>
    public TimeSpan ThreeDsWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// After an unknown charge outcome, how long the gateway may keep answering "not found" before we conclude
    /// the charge never arrived and fail the payment (without ever sending it again).
    /// </summary>
    public TimeSpan ChargeNotFoundWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Redelivery delays for a message that cannot be handled yet: a charge while its gateway's circuit is open,
    /// a callback that arrives before the payment's first save. A charge whose gateway stays unavailable through
    /// all of them fails without having been sent.
    /// </summary>
    public TimeSpan[] RetryIntervals { get; set; } =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15),
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
    ];

    public TimeSpan NextPollDelay(int attempt) =>
        InquiryBackoff.Length == 0 ? TimeSpan.FromMinutes(1) : InquiryBackoff[Math.Min(attempt, InquiryBackoff.Length - 1)];
}
