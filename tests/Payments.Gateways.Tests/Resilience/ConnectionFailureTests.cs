using Payments.Gateways.Resilience;
using Xunit;

namespace Payments.Gateways.Tests.Resilience;

public sealed class ConnectionFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_refused_connection_on_a_charge_throws_GatewayUnavailableException()
    {
        await using var clients = GatewayClients.Single("Finpay", primary: null, GatewayClients.Fast);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ClosedPort.Address(), "pay"))
        { Content = new StringContent("{}") };

        var failure = await Assert.ThrowsAsync<GatewayUnavailableException>(
            () => clients.Client("Finpay").SendAsync(request.SetGatewayCallKind(GatewayCallKind.Charge), Ct));

        Assert.Equal("Finpay", failure.Gateway);
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }

    [Fact]
    public async Task A_refused_connection_on_an_inquiry_is_retried_then_throws_GatewayUnavailableException()
    {
        await using var clients = GatewayClients.Single("Finpay", primary: null, GatewayClients.Fast);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ClosedPort.Address(), "status/1"));

        await Assert.ThrowsAsync<GatewayUnavailableException>(
            () => clients.Client("Finpay").SendAsync(request.SetGatewayCallKind(GatewayCallKind.Inquiry), Ct));
    }

    [Fact]
    public async Task The_HttpClient_timeout_is_infinite_so_that_the_pipeline_timeouts_rule()
    {
        await using var clients = GatewayClients.Single("Finpay", primary: null);

        Assert.Equal(Timeout.InfiniteTimeSpan, clients.Client("Finpay").Timeout);
    }
}
