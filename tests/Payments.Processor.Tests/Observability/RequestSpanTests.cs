using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Observability.Support;
using Payments.Sandbox;
using Xunit;

namespace Payments.Processor.Tests.Observability;

/// <summary>The request span comes from OpenTelemetry's ASP.NET Core instrumentation; we only add the payment.</summary>
public sealed class RequestSpanTests
{
    [Fact]
    public async Task A_request_span_is_named_by_its_route_and_tagged_with_the_payment()
    {
        var spans = new List<Activity>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddPaymentsTelemetry(new ConfigurationBuilder().Build());
        builder.Services.Configure<PaymentsTelemetryOptions>(o => o.ConfigureTracing.Add(t => t.AddInMemoryExporter(spans)));
        await using var app = builder.Build();
        app.MapGet("/payments/{id}", (string id) => Results.NotFound());
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = app.BoundAddress() };
        var paymentId = Guid.NewGuid();

        await http.GetAsync($"/payments/{paymentId}", TestContext.Current.CancellationToken);
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        await app.StopAsync(TestContext.Current.CancellationToken);

        var span = Assert.Single(spans.Tagged(PaymentsTelemetry.PaymentIdTag, paymentId.ToString()), s => s.Kind == ActivityKind.Server);
        Assert.Equal("GET /payments/{id}", span.DisplayName);
        Assert.Equal("/payments/{id}", span.GetTagItem("http.route"));
        Assert.Equal($"/payments/{paymentId}", span.GetTagItem("url.path"));
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
    }
}
