using System.Net;
using Payments.Gateways.Resilience;
using Polly.Timeout;
using Xunit;

namespace Payments.Gateways.Tests.Resilience;

public sealed class ChargeIsNeverRetriedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_charge_answered_500_is_sent_once_and_the_500_returned()
    {
        var gateway = ScriptedHandler.Always(HttpStatusCode.InternalServerError);
        await using var clients = GatewayClients.Single("Finpay", gateway, GatewayClients.Fast);

        using var response = await clients.Client("Finpay").SendAsync(RequestFactory.Post(GatewayCallKind.Charge), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, gateway.Requests);
    }

    [Fact]
    public async Task A_charge_that_times_out_is_sent_once_and_throws_TimeoutRejectedException()
    {
        var gateway = ScriptedHandler.Hangs();
        await using var clients = GatewayClients.Single("Finpay", gateway, GatewayClients.FastTimeouts);

        await Assert.ThrowsAsync<TimeoutRejectedException>(
            () => clients.Client("Finpay").SendAsync(RequestFactory.Post(GatewayCallKind.Charge), Ct));

        Assert.Equal(1, gateway.Requests);
    }

    [Fact]
    public async Task A_charge_whose_connection_is_reset_after_sending_is_sent_once_and_is_not_reported_unavailable()
    {
        await using var server = new ResettingServer();
        await using var clients = GatewayClients.Single("Finpay", primary: null, GatewayClients.Fast);
        var client = clients.Client("Finpay");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "pay"))
        { Content = new StringContent("{\"order\":1}") };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(request.SetGatewayCallKind(GatewayCallKind.Charge), Ct));

        // The request may have reached the gateway, so it must not look like "certainly not sent".
        Assert.IsType<HttpRequestException>(failure);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task The_same_reset_on_an_inquiry_is_retried()
    {
        await using var server = new ResettingServer();
        await using var clients = GatewayClients.Single("Finpay", primary: null, GatewayClients.Fast);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "status/1"));

        await Assert.ThrowsAsync<HttpRequestException>(
            () => clients.Client("Finpay").SendAsync(request.SetGatewayCallKind(GatewayCallKind.Inquiry), Ct));

        Assert.Equal(1 + 3, server.Requests);
    }

    [Fact]
    public async Task A_request_with_no_call_kind_is_treated_as_a_charge()
    {
        var gateway = ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable);
        await using var clients = GatewayClients.Single("Finpay", gateway, GatewayClients.Fast);
        using var unmarked = new HttpRequestMessage(HttpMethod.Post, "pay");

        Assert.Equal(GatewayCallKind.Charge, unmarked.GetGatewayCallKind());
        using var response = await clients.Client("Finpay").SendAsync(unmarked, Ct);

        Assert.Equal(1, gateway.Requests);
    }
}
