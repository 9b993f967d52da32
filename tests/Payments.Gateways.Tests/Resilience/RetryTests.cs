using System.Net;
using Payments.Gateways.Resilience;
using Polly.Timeout;
using Xunit;

namespace Payments.Gateways.Tests.Resilience;

public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(GatewayCallKind.Inquiry)]
    [InlineData(GatewayCallKind.Token)]
    [InlineData(GatewayCallKind.Cancel)]
    public async Task Safe_calls_are_retried_on_a_5xx_until_they_succeed(GatewayCallKind kind)
    {
        var gateway = ScriptedHandler.Sequence(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        await using var clients = GatewayClients.Single("Finpay", gateway, GatewayClients.Fast);

        using var response = await clients.Client("Finpay").SendAsync(RequestFactory.Get(kind), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, gateway.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task An_inquiry_is_retried_on_transient_statuses(HttpStatusCode transient)
    {
        var gateway = ScriptedHandler.Sequence(transient, HttpStatusCode.OK);
        await using var clients = GatewayClients.Single("Finpay", gateway, GatewayClients.Fast);

        using var response = await clients.Client("Finpay").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, gateway.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task An_inquiry_is_not_retried_on_a_definitive_answer(HttpStatusCode definitive)
    {
        var gateway = ScriptedHandler.Always(definitive);
        await using var clients = GatewayClients.Single("Finpay", gateway, GatewayClients.Fast);

        using var response = await clients.Client("Finpay").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct);

        Assert.Equal(definitive, response.StatusCode);
        Assert.Equal(1, gateway.Requests);
    }

    [Fact]
    public async Task Retries_back_off_exponentially_from_the_base_delay()
    {
        var gateway = ScriptedHandler.Sequence(
            HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        await using var clients = GatewayClients.Single("Finpay", gateway, options =>
        {
            GatewayClients.Fast(options);
            options.BaseDelay = TimeSpan.FromMilliseconds(40);
        });

        using var response = await clients.Client("Finpay").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct);

        var arrivals = gateway.Arrivals;
        Assert.Equal(4, arrivals.Count);
        // Waits of 40, 80 and 160 ms (no jitter): only lower bounds are reliable on a busy machine.
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromMilliseconds(35), $"first wait {arrivals[1] - arrivals[0]}");
        Assert.True(arrivals[2] - arrivals[1] >= TimeSpan.FromMilliseconds(75), $"second wait {arrivals[2] - arrivals[1]}");
        Assert.True(arrivals[3] - arrivals[2] >= TimeSpan.FromMilliseconds(150), $"third wait {arrivals[3] - arrivals[2]}");
    }

    [Fact]
    public async Task An_inquiry_that_keeps_timing_out_is_tried_RetryCount_plus_one_times_then_throws_TimeoutRejectedException()
    {
        var gateway = ScriptedHandler.Hangs();
        await using var clients = GatewayClients.Single("Finpay", gateway, options =>
        {
            GatewayClients.Fast(options);
            options.RetryCount = 2;
            options.AttemptTimeout.Inquiry = TimeSpan.FromMilliseconds(50);
        });

        await Assert.ThrowsAsync<TimeoutRejectedException>(
            () => clients.Client("Finpay").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct));

        Assert.Equal(3, gateway.Requests);
    }

    [Fact]
    public async Task Each_kind_gets_its_own_attempt_timeout()
    {
        var gateway = new ScriptedHandler(async (_, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        await using var clients = GatewayClients.Single("Finpay", gateway, options =>
        {
            GatewayClients.Fast(options);
            options.RetryCount = 0;
            options.AttemptTimeout.Charge = TimeSpan.FromSeconds(5);
            options.AttemptTimeout.Inquiry = TimeSpan.FromMilliseconds(50);
        });
        var client = clients.Client("Finpay");

        using var charged = await client.SendAsync(RequestFactory.Post(GatewayCallKind.Charge), Ct);
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => client.SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct));

        Assert.Equal(HttpStatusCode.OK, charged.StatusCode);
    }

    [Fact]
    public async Task RetryCount_zero_disables_retries()
    {
        var gateway = ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable);
        await using var clients = GatewayClients.Single("Finpay", gateway, options =>
        {
            GatewayClients.Fast(options);
            options.RetryCount = 0;
        });

        using var response = await clients.Client("Finpay").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), Ct);

        Assert.Equal(1, gateway.Requests);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried_nor_reported_as_a_timeout()
    {
        var gateway = ScriptedHandler.Hangs();
        await using var clients = GatewayClients.Single("Finpay", gateway, options =>
        {
            GatewayClients.Fast(options);
            options.AttemptTimeout.Inquiry = TimeSpan.FromSeconds(5);
        });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        caller.CancelAfter(TimeSpan.FromMilliseconds(50));

        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => clients.Client("Finpay").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), caller.Token));

        Assert.IsNotType<TimeoutRejectedException>(failure);
        Assert.Equal(1, gateway.Requests);
    }
}
