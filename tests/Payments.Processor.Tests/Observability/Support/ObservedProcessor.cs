using Payments.Processor.Tests.Support;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>
/// The embedded processor with slow polls, so that a test sees the gateway's callback, not a poll, settle a payment.
/// </summary>
public sealed class ObservedProcessor : EmbeddedProcessor
{
    public ObservedProcessor()
    {
        Settings["Payments:InquiryBackoff:0"] = "00:01:00";
        Settings.Remove("Payments:InquiryBackoff:1");
        Settings.Remove("Payments:InquiryBackoff:2");
    }
}
