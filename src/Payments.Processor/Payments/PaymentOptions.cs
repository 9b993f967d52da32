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
    /// Redelivery delays for a charge that was certainly not processed: its gateway's circuit is open, the connection
    /// was refused, or (Singapay only, whose SP004 guards a resent reference) the answer was HTTP 503. A charge refused
    /// like that through all of them fails without having been sent; one answered 503 stays open for reconciliation.
    /// </summary>
    public TimeSpan[] RetryIntervals { get; set; } =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15),
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
    ];

    /// <summary>
    /// Charges the charge step has at its gateways at once. Each waits on HTTP, not on the database, and one that hangs
    /// holds its place for the gateway's whole timeout: too few places and a hanging gateway stalls every charge behind it.
    /// </summary>
    public int ChargeConcurrency { get; set; } = 256;

    /// <summary>
    /// Where customers' browsers reach this processor, e.g. https://pay.example.com: PaymentRedirectRequired.PaymentUrl
    /// is its 3-D Secure page there. Defaults to the first address in Urls (a wildcard host read as localhost).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The keys that seal card data between the saga and the charge step (and that senders may use).</summary>
    public CardEncryptionOptions CardEncryption { get; set; } = new();

    /// <summary>The page a customer opens to finish 3-D Secure (GET /payments/{id}/redirect); null without a <see cref="PublicUrl"/>.</summary>
    public string? CustomerRedirectPage(Guid paymentId) =>
        PublicUrl is { Length: > 0 } url ? $"{url.TrimEnd('/')}/payments/{paymentId}/redirect" : null;

    public TimeSpan NextPollDelay(int attempt) =>
        InquiryBackoff.Length == 0 ? TimeSpan.FromMinutes(1) : InquiryBackoff[Math.Min(attempt, InquiryBackoff.Length - 1)];
}
