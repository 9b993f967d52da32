using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Payments.Gateways.Singapay;
using Payments.Processor.Tests.Support;
using Payments.Sandbox;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

/// <summary>
/// PostgreSQL unreachable (a closed local port): the processor still starts, says it is alive but not ready, and
/// every endpoint that needs the database answers 503 with Retry-After instead of 500.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var settings = TestApiKeys.Settings();
        settings["Urls"] = "http://127.0.0.1:0";
        settings["Sandbox:Url"] = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        settings["Database:Provider"] = "PostgreSql";
        settings["ConnectionStrings:Payments"] =
            $"Host=127.0.0.1;Port={LoopbackPorts.Free()};Database=payments;Username=payments;Password=payments;Timeout=2";
        _app = PaymentsApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        });
        await _app.StartAsync(Cancel);
        _http = TestApiKeys.Client(_app.BoundAddress());
    }

    [Fact]
    public async Task The_processor_starts_alive_but_not_ready_while_the_schema_waits_for_the_database()
    {
        var live = await _http.GetAsync("/health/live", Cancel);
        var ready = await _http.GetAsync("/health/ready", Cancel);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var entries = (await ready.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("entries");
        Assert.Equal("Unhealthy", entries.GetProperty("database-schema").GetProperty("status").GetString());
        Assert.Equal("Unhealthy", entries.GetProperty("database").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/payments/7f0b5a58-6d6a-4a3c-9a53-1f2e3d4c5b6a")]
    [InlineData("/ops/payments")]
    public async Task Reading_payments_answers_503_with_Retry_After(string path)
    {
        var response = await _http.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("Database unavailable", problem.GetProperty("title").GetString());
        Assert.DoesNotContain("127.0.0.1", problem.ToString());
    }

    [Fact]
    public async Task A_signed_callback_answers_503_with_Retry_After_so_the_gateway_sends_it_again()
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            status = 200,
            success = true,
            @event = "card.payment.status",
            timestamp = "21 Nov 2026 10:00:00",
            data = new { transaction_id = "99OUTAGE", reference_no = "ORD-OUTAGE-1", amount = 100000, status = "success", provider_auth_no = "1" },
        }));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/singapay") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer callback-token");
        request.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-Signature",
            SingapaySignatures.CallbackSignature("sandbox-client-secret", "/webhooks/singapay", "callback-token", body, timestamp));

        var response = await _http.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
