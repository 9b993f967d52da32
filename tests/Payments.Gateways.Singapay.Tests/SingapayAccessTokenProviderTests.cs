using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Payments.Gateways.Singapay.Tests.Support;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

public sealed class SingapayAccessTokenProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 18, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_token_request_carries_partner_client_and_a_signature_for_the_Jakarta_date()
    {
        var stub = new StubSingapay();
        await using var harness = GatewayHarness.Create(stub, new FakeTimeProvider(Start));

        var token = await harness.Tokens.GetTokenAsync(Ct);

        Assert.Equal("token-1", token);
        var request = Assert.Single(stub.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/singapay/api/v1.1/access-token/b2b", request.Path);
        Assert.Equal("sandbox-api-key", request.Header("X-PARTNER-ID"));
        Assert.Equal("sandbox-client-id", request.Header("X-CLIENT-ID"));
        var expected = Convert.ToHexStringLower(HMACSHA512.HashData(
            Encoding.UTF8.GetBytes("sandbox-client-secret"),
            Encoding.UTF8.GetBytes("sandbox-client-id_sandbox-client-secret_20260302")));
        Assert.Equal(expected, request.Header("X-Signature"));
        Assert.Equal("""{"grant_type":"client_credentials"}""", request.Body);
    }

    [Fact]
    public async Task The_token_is_cached_until_its_expiry_minus_the_refresh_margin()
    {
        var clock = new FakeTimeProvider(Start);
        var stub = new StubSingapay { ExpiresIn = "\"600\"" };
        await using var harness = GatewayHarness.Create(stub, clock);

        var first = await harness.Tokens.GetTokenAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(539));
        var cached = await harness.Tokens.GetTokenAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var refreshed = await harness.Tokens.GetTokenAsync(Ct);

        Assert.Equal("token-1", first);
        Assert.Equal("token-1", cached);
        Assert.Equal("token-2", refreshed);
        Assert.Equal(2, stub.TokenRequests);
    }

    [Fact]
    public async Task A_numeric_expires_in_is_tolerated()
    {
        var clock = new FakeTimeProvider(Start);
        var stub = new StubSingapay { ExpiresIn = "3600" };
        await using var harness = GatewayHarness.Create(stub, clock);

        await harness.Tokens.GetTokenAsync(Ct);
        clock.Advance(TimeSpan.FromMinutes(58));
        await harness.Tokens.GetTokenAsync(Ct);

        Assert.Equal(1, stub.TokenRequests);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_refresh()
    {
        var stub = new StubSingapay { TokenLatency = TimeSpan.FromMilliseconds(200) };
        await using var harness = GatewayHarness.Create(stub, new FakeTimeProvider(Start));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => harness.Tokens.GetTokenAsync(Ct).AsTask()));

        Assert.All(tokens, token => Assert.Equal("token-1", token));
        Assert.Equal(1, stub.TokenRequests);
    }

    [Fact]
    public async Task Invalidating_a_stale_token_keeps_a_newer_one()
    {
        var stub = new StubSingapay();
        await using var harness = GatewayHarness.Create(stub, new FakeTimeProvider(Start));

        var first = await harness.Tokens.GetTokenAsync(Ct);
        harness.Tokens.Invalidate(first);
        var second = await harness.Tokens.GetTokenAsync(Ct);
        harness.Tokens.Invalidate(first);
        var stillSecond = await harness.Tokens.GetTokenAsync(Ct);

        Assert.Equal("token-2", second);
        Assert.Equal("token-2", stillSecond);
        Assert.Equal(2, stub.TokenRequests);
    }

    [Fact]
    public async Task On_SP013_the_token_is_refreshed_once_and_the_charge_retried_once()
    {
        var stub = new StubSingapay
        {
            CardApi = request => Task.FromResult(request.Header("Authorization") == "Bearer token-1"
                ? StubSingapay.Envelope(HttpStatusCode.Unauthorized, "SP013", "Unauthorized")
                : StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully",
                    """{"transaction_id":"99TX","status":"processing","action":"complete","card_masked":"411111******1111"}""")),
        };
        await using var harness = GatewayHarness.Create(stub, new FakeTimeProvider(Start));

        var result = await harness.Gateway.ChargeAsync(Charges.Valid(), Ct);

        Assert.Equal(ChargeResultKind.Accepted, result.Kind);
        Assert.Equal(2, stub.TokenRequests);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], stub.CardRequests.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task SP013_twice_is_not_retried_again_and_the_charge_counts_as_not_sent()
    {
        var stub = new StubSingapay { CardApi = _ => Task.FromResult(StubSingapay.Envelope(HttpStatusCode.Unauthorized, "SP013", "Unauthorized")) };
        await using var harness = GatewayHarness.Create(stub, new FakeTimeProvider(Start));

        await Assert.ThrowsAsync<GatewayUnavailableException>(() => harness.Gateway.ChargeAsync(Charges.Valid(), Ct));

        Assert.Equal(2, stub.CardRequests.Count);
        Assert.Equal(2, stub.TokenRequests);
    }

    [Fact]
    public async Task SP013_on_inquiry_also_refreshes_once()
    {
        var stub = new StubSingapay
        {
            CardApi = request => Task.FromResult(request.Header("Authorization") == "Bearer token-1"
                ? StubSingapay.Envelope(HttpStatusCode.Unauthorized, "SP013", "Unauthorized")
                : StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully", """{"transaction_id":"99TX","status":"success"}""")),
        };
        await using var harness = GatewayHarness.Create(stub, new FakeTimeProvider(Start));

        var result = await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD-1", "99TX", null), Ct);

        Assert.Equal(GatewayPaymentStatus.Succeeded, result.Status);
        Assert.Equal(2, stub.CardRequests.Count);
    }

    [Fact]
    public async Task A_refused_token_means_the_charge_was_never_sent()
    {
        var stub = new StubSingapay
        {
            TokenApi = (_, _) => StubSingapay.Json(HttpStatusCode.Unauthorized,
                """{"status":401,"success":false,"response_code":"SP016","response_message":"Invalid signature."}"""),
        };
        await using var harness = GatewayHarness.Create(stub, new FakeTimeProvider(Start));

        var refused = await Assert.ThrowsAsync<SingapayAuthenticationException>(() => harness.Tokens.GetTokenAsync(Ct).AsTask());
        await Assert.ThrowsAsync<GatewayUnavailableException>(() => harness.Gateway.ChargeAsync(Charges.Valid(), Ct));
        var inquiry = await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD-1", null, null), Ct);

        Assert.Equal("SP016", refused.Code);
        Assert.DoesNotContain("sandbox-client-secret", refused.Message);
        Assert.Empty(stub.CardRequests);
        Assert.Equal(GatewayPaymentStatus.Unknown, inquiry.Status);
        Assert.Equal("token:SP016", inquiry.ResponseCode);
    }

    [Fact]
    public async Task A_token_request_that_times_out_means_the_charge_was_never_sent()
    {
        var stub = new StubSingapay { TokenLatency = TimeSpan.FromSeconds(10) };
        // The system clock: the attempt timeout is a timer, and this test is about it firing.
        await using var harness = GatewayHarness.Create(stub, settings: new Dictionary<string, string?>
        {
            ["Gateways:Singapay:Resilience:AttemptTimeout:Token"] = "00:00:00.200",
        });

        var unavailable = await Assert.ThrowsAsync<GatewayUnavailableException>(() => harness.Gateway.ChargeAsync(Charges.Valid(), Ct));

        Assert.Contains("timeout", unavailable.Message);
        Assert.Empty(stub.CardRequests);
    }
}
