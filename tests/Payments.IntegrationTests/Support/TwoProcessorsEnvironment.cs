using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Processor;
using Xunit;

namespace Payments.IntegrationTests.Support;

/// <summary>
/// Two processor instances on one virtual host and one database: competing consumers on every queue. They share the
/// fixture's card key, so a card sealed by one can be charged by the other.
/// </summary>
public sealed class TwoProcessorsEnvironment : DurableEnvironment
{
    private WebApplication? _second;

    public ChargeStepCounter FirstCharges { get; } = new();

    public ChargeStepCounter SecondCharges { get; } = new();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = ProcessorSettings();
        settings["Urls"] = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        _second = PaymentsApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings!);
            builder.Services.AddConsumeObserver(_ => SecondCharges);
        });
        await _second.StartAsync(TestContext.Current.CancellationToken);
    }

    protected override void ConfigureProcessor(WebApplicationBuilder builder) =>
        builder.Services.AddConsumeObserver(_ => FirstCharges);

    public override async ValueTask DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.StopAsync();
            await _second.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
