using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Payments.Gateways;
using Payments.Gateways.Singapay;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

/// <summary>During a client-secret rotation, callbacks signed with the previous secret are still evidence.</summary>
public sealed class SingapayKeyRotationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 3, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"event":"card.payment.status","data":{"reference_no":"ORD-1","status":"success"}}""");

    private static CallbackTrust Verify(string signedWith, SingapayOptions options)
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer token-1",
            ["X-Timestamp"] = timestamp,
            ["X-Signature"] = SingapaySignatures.CallbackSignature(signedWith, "/webhooks/singapay", "token-1", Body, timestamp),
        };
        var verifier = new SingapayCallbackVerifier(Options.Create(options), new FakeTimeProvider(Now));
        return verifier.Verify(new GatewayCallbackRequest("POST", "/webhooks/singapay", headers, Body)).Trust;
    }

    [Fact]
    public void The_previous_secret_verifies_while_it_is_configured()
    {
        var rotating = new SingapayOptions { ClientSecret = "new-secret", PreviousClientSecret = "old-secret" };

        Assert.Equal(CallbackTrust.Verified, Verify("new-secret", rotating));
        Assert.Equal(CallbackTrust.Verified, Verify("old-secret", rotating));
        Assert.Equal(CallbackTrust.Forged, Verify("another-secret", rotating));
    }

    [Fact]
    public void Without_a_previous_secret_only_the_current_one_verifies()
    {
        var settled = new SingapayOptions { ClientSecret = "new-secret" };

        Assert.Equal(CallbackTrust.Verified, Verify("new-secret", settled));
        Assert.Equal(CallbackTrust.Forged, Verify("old-secret", settled));
    }
}
