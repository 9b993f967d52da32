using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Payments.Processor.OpenApi;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>An endpoint that requires authorization is marked with the Bearer scheme in the document; an open one is not.</summary>
public sealed class OpenApiSecurityTests
{
    [Fact]
    public async Task Endpoints_that_require_authorization_require_the_Bearer_scheme()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthorization();
        builder.Services.AddPaymentsOpenApi();
        await using var app = builder.Build();
        app.MapGet("/secured", () => "secret").RequireAuthorization().WithName("Secured").WithSummary("Needs a key");
        app.MapGet("/open", () => "public").WithName("Open").WithSummary("Needs nothing");
        app.MapPaymentsApiReference();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var document = JsonDocument.Parse(await http.GetStringAsync(PaymentsOpenApi.DocumentPath,
            TestContext.Current.CancellationToken)).RootElement;
        await app.StopAsync(TestContext.Current.CancellationToken);

        var secured = document.GetProperty("paths").GetProperty("/secured").GetProperty("get");
        var open = document.GetProperty("paths").GetProperty("/open").GetProperty("get");
        Assert.True(secured.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        Assert.False(open.TryGetProperty("security", out _));
    }
}
