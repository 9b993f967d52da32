using System.Net.Http.Json;
using System.Text.Json;
using Payments.IntegrationTests.Support;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>What ops see on the production stack: the listing and readiness, answered by PostgreSQL and RabbitMQ.</summary>
[Collection(RealServices.Name)]
public sealed class OpsTests(DurableEnvironment environment) : IClassFixture<DurableEnvironment>
{
    [Fact]
    public async Task The_ops_listing_finds_a_payment_by_reference_and_status_in_the_database()
    {
        var charge = Charges.Valid("4000000000000002");
        var id = await environment.Post(charge);
        await environment.Merchant.WaitForCompletion(id);

        var found = await environment.Http.GetFromJsonAsync<JsonElement>(
            $"/ops/payments?merchantReference={charge.MerchantReference}&status=Failed", TestContext.Current.CancellationToken);
        var none = await environment.Http.GetFromJsonAsync<JsonElement>(
            $"/ops/payments?merchantReference={charge.MerchantReference}&status=Succeeded", TestContext.Current.CancellationToken);
        var stuck = await environment.Http.GetFromJsonAsync<JsonElement>("/ops/payments?stuckForMinutes=1", TestContext.Current.CancellationToken);

        var payment = Assert.Single(found.GetProperty("payments").EnumerateArray());
        Assert.Equal(id, payment.GetProperty("paymentId").GetGuid());
        Assert.Empty(none.GetProperty("payments").EnumerateArray());
        Assert.DoesNotContain(stuck.GetProperty("payments").EnumerateArray(), p => p.GetProperty("paymentId").GetGuid() == id);
    }

    [Fact]
    public async Task Ready_reports_the_broker_and_the_database_separately_and_healthy()
    {
        var response = await environment.Http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, body);
        var report = JsonDocument.Parse(body).RootElement;
        var text = report.ToString();
        Assert.Contains("\"bus\"", text);
        Assert.Contains("\"database\"", text);
        Assert.Contains("gateway:singapay", text);
        Assert.Contains("gateway:finpay", text);
    }
}
