using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payments.Gateways.Resilience;
using Xunit;

namespace Payments.Gateways.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void BreaksAfterTwoFailures(GatewayResilienceOptions options)
    {
        GatewayClients.Fast(options);
        options.RetryCount = 0;
        options.MinimumThroughput = 2;
        options.FailureRatio = 0.5;
        options.SamplingDuration = TimeSpan.FromSeconds(30);
        options.BreakDuration = TimeSpan.FromSeconds(30);
    }

    private static async Task FailTwiceAsync(HttpClient client)
    {
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.SendAsync(RequestFactory.Post(GatewayCallKind.Charge), Ct);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
    }

    [Fact]
    public async Task After_enough_failures_the_circuit_opens_and_calls_throw_GatewayUnavailableException_without_being_sent()
    {
        var gateway = ScriptedHandler.Always(HttpStatusCode.InternalServerError);
        await using var clients = GatewayClients.Single("Finpay", gateway, BreaksAfterTwoFailures);
        var client = clients.Client("Finpay");

        Assert.False(clients.Monitor.IsOpen("Finpay"));
        await FailTwiceAsync(client);

        Assert.True(clients.Monitor.IsOpen("Finpay"));
        var refused = await Assert.ThrowsAsync<GatewayUnavailableException>(
            () => client.SendAsync(RequestFactory.Post(GatewayCallKind.Charge), Ct));
        await Assert.ThrowsAsync<GatewayUnavailableException>(
            () => client.SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct));

        Assert.Equal("Finpay", refused.Gateway);
        Assert.Equal(2, gateway.Requests);
    }

    [Fact]
    public async Task An_open_circuit_is_not_retried_by_inquiries()
    {
        var gateway = ScriptedHandler.Always(HttpStatusCode.InternalServerError);
        await using var clients = GatewayClients.Single("Finpay", gateway, options =>
        {
            BreaksAfterTwoFailures(options);
            options.RetryCount = 3;
        });
        var client = clients.Client("Finpay");

        // The inquiry's first two attempts open the circuit; its third attempt meets the open circuit and stops there.
        await Assert.ThrowsAsync<GatewayUnavailableException>(
            () => client.SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct));

        Assert.Equal(2, gateway.Requests);
    }

    [Fact]
    public async Task The_circuit_is_shared_by_every_HttpClient_of_the_same_gateway()
    {
        var first = ScriptedHandler.Always(HttpStatusCode.InternalServerError);
        var second = ScriptedHandler.Always(HttpStatusCode.OK);
        await using var clients = GatewayClients.Create(
            new Dictionary<string, (string, HttpMessageHandler?)>
            {
                ["finpay-charges"] = ("Finpay", first),
                ["finpay-status"] = ("Finpay", second),
            },
            BreaksAfterTwoFailures);

        await FailTwiceAsync(clients.Client("finpay-charges"));

        await Assert.ThrowsAsync<GatewayUnavailableException>(
            () => clients.Client("finpay-status").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct));
        Assert.Equal(0, second.Requests);
    }

    [Fact]
    public async Task One_gateways_open_circuit_does_not_affect_another_gateway()
    {
        var finpay = ScriptedHandler.Always(HttpStatusCode.InternalServerError);
        var singapay = ScriptedHandler.Always(HttpStatusCode.OK);
        await using var clients = GatewayClients.Create(
            new Dictionary<string, (string, HttpMessageHandler?)>
            {
                ["Finpay"] = ("Finpay", finpay),
                ["Singapay"] = ("Singapay", singapay),
            },
            BreaksAfterTwoFailures);

        await FailTwiceAsync(clients.Client("Finpay"));
        using var response = await clients.Client("Singapay").SendAsync(RequestFactory.Post(GatewayCallKind.Charge), Ct);

        Assert.True(clients.Monitor.IsOpen("Finpay"));
        Assert.False(clients.Monitor.IsOpen("Singapay"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, singapay.Requests);
        Assert.Equal(["Finpay", "Singapay"], clients.Monitor.Gateways.Order());
    }

    [Fact]
    public async Task After_the_break_one_trial_call_is_let_through_and_its_success_closes_the_circuit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var gateway = ScriptedHandler.Sequence(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        await using var clients = GatewayClients.Create(
            new Dictionary<string, (string, HttpMessageHandler?)> { ["Finpay"] = ("Finpay", gateway) },
            BreaksAfterTwoFailures,
            timeProvider: clock);
        var client = clients.Client("Finpay");
        await FailTwiceAsync(client);
        Assert.Equal(GatewayCircuitState.Open, clients.Monitor.GetState("Finpay"));

        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(GatewayCircuitState.HalfOpen, clients.Monitor.GetState("Finpay"));
        using var trial = await client.SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct);

        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        Assert.Equal(GatewayCircuitState.Closed, clients.Monitor.GetState("Finpay"));
        Assert.Equal(3, gateway.Requests);
    }

    [Fact]
    public async Task A_gateway_not_yet_called_reports_a_closed_circuit()
    {
        await using var clients = GatewayClients.Single("Finpay", ScriptedHandler.Always(HttpStatusCode.OK));

        Assert.Equal(GatewayCircuitState.Closed, clients.Monitor.GetState("Finpay"));
        Assert.False(clients.Monitor.IsOpen("Unknown gateway"));
        Assert.Same(clients.Monitor, clients.Services.GetRequiredService<IGatewayCircuitMonitor>());
    }
}
