using System.Globalization;
using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Api;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Payments.Sandbox;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Processor.Tests.Observability;

/// <summary>GET /ops/payments over HTTP, on the shipped saga (MassTransit's harness, a scripted gateway, a manual clock).</summary>
public sealed class OpsPaymentsTests : IAsyncLifetime
{
    private SagaHarness _harness = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private DateTimeOffset _start;
    private ChargeRequested _succeeded = null!, _redirect = null!, _invalid = null!, _later = null!;

    public async ValueTask InitializeAsync()
    {
        var gateway = new ScriptedGateway
        {
            OnCharge = charge => charge.Card?.Number == SingapayTestCards.ThreeDs ? ScriptedGateway.Redirect() : ScriptedGateway.Accepted(),
        };
        _harness = await SagaHarness.Start(gateway: gateway);
        _start = _harness.Clock.GetUtcNow();

        _succeeded = Charges.Valid();
        _redirect = Charges.Valid(SingapayTestCards.ThreeDs);
        _invalid = Charges.Valid() with { Amount = 1 };
        await _harness.Send(_succeeded);
        await _harness.Send(_redirect);
        await _harness.Send(_invalid);
        await _harness.WaitFor(_succeeded.PaymentId, m => m.Processing);
        await _harness.WaitFor(_redirect.PaymentId, m => m.Redirect);
        await _harness.WaitFor(_invalid.PaymentId, m => m.Failed);

        _harness.Clock.Advance(TimeSpan.FromMinutes(10));
        _later = Charges.Valid();
        await _harness.Send(_later);
        await _harness.WaitFor(_later.PaymentId, m => m.Processing);
        await _harness.Report(_succeeded.PaymentId, GatewayPaymentStatus.Succeeded);
        await _harness.WaitFor(_succeeded.PaymentId, m => m.Succeeded);
        _harness.Clock.Advance(TimeSpan.FromMinutes(25));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<TimeProvider>(_harness.Clock);
        builder.Services.AddSingleton(_harness.Service<ILoadSagaRepository<PaymentState>>());
        builder.Services.AddSingleton(_harness.Service<IQuerySagaRepository<PaymentState>>());
        builder.Services.AddScoped<IPaymentListing, SagaRepositoryPaymentListing>();
        builder.Services.AddScoped<PaymentQueries>();
        _app = builder.Build();
        _app.MapOpsApi();
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _app.BoundAddress() };
    }

    [Fact]
    public async Task Stuck_payments_are_those_not_final_and_unchanged_for_the_given_minutes()
    {
        Assert.Equal([_redirect.PaymentId], await Ids("?stuckForMinutes=30"));
        Assert.Equal([_later.PaymentId, _redirect.PaymentId], await Ids("?stuckForMinutes=5"));
        Assert.Equal([_redirect.PaymentId], await Ids("?stuckForMinutes=5&status=redirect"));
    }

    [Fact]
    public async Task Payments_are_found_by_merchant_reference_status_and_creation_window_newest_first()
    {
        Assert.Equal([_succeeded.PaymentId], await Ids($"?merchantReference={_succeeded.MerchantReference}"));
        Assert.Equal([_invalid.PaymentId], await Ids("?status=Failed"));
        var fiveMinutesIn = Instant(_start + TimeSpan.FromMinutes(5));
        Assert.Equal([_later.PaymentId], await Ids($"?from={fiveMinutesIn}"));
        Assert.Equal(3, (await Ids($"?to={fiveMinutesIn}")).Count);
        Assert.Equal([_later.PaymentId], await Ids("?limit=1"));
        Assert.Equal(4, (await Ids("")).Count);
    }

    [Fact]
    public async Task Each_payment_comes_with_its_audit_trail()
    {
        var body = await Get($"?merchantReference={_succeeded.MerchantReference}");

        Assert.Equal(1, body.GetProperty("count").GetInt32());
        Assert.Equal(OpsEndpoints.DefaultLimit, body.GetProperty("limit").GetInt32());
        var payment = Assert.Single(body.GetProperty("payments").EnumerateArray());
        Assert.Equal(PaymentStatuses.Succeeded, payment.GetProperty("status").GetString());
        Assert.Equal("411111******1111", payment.GetProperty("cardMasked").GetString());
        var trail = payment.GetProperty("transitions").EnumerateArray()
            .Select(t => (t.GetProperty("to").GetString(), t.GetProperty("cause").GetString())).ToList();
        Assert.Equal([(PaymentStatuses.Pending, TransitionCauses.Command), (PaymentStatuses.Processing, TransitionCauses.GatewayResponse),
            (PaymentStatuses.Succeeded, TransitionCauses.Callback)], trail);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?status=Done", "status")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("?stuckForMinutes=0", "stuckForMinutes")]
    [InlineData("?stuckForMinutes=-5", "stuckForMinutes")]
    [InlineData("?stuckForMinutes=5&status=Succeeded", "stuckForMinutes")]
    [InlineData("?stuck=30", "stuck")]
    public async Task A_bad_parameter_is_a_400_problem_naming_it(string query, string parameter)
    {
        var response = await _http.GetAsync($"/ops/payments{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var errors = problem.GetProperty("errors");
        Assert.Equal([parameter], errors.EnumerateObject().Select(e => e.Name));
        Assert.NotEmpty(errors.GetProperty(parameter)[0].GetString()!);
    }

    private async Task<List<Guid>> Ids(string query) =>
        (await Get(query)).GetProperty("payments").EnumerateArray().Select(p => p.GetProperty("paymentId").GetGuid()).ToList();

    private async Task<JsonElement> Get(string query)
    {
        var response = await _http.GetAsync($"/ops/payments{query}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_harness is not null)
            await _harness.DisposeAsync();
    }
}
