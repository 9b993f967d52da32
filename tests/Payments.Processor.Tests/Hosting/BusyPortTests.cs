using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

/// <summary>A taken port stops start-up with the setting and the address, not a socket stack trace.</summary>
public sealed class BusyPortTests : IDisposable
{
    private readonly TcpListener _taken = new(IPAddress.Loopback, 0);

    public BusyPortTests() => _taken.Start();

    private string TakenAddress => $"http://127.0.0.1:{((IPEndPoint)_taken.LocalEndpoint).Port}";

    private static async Task<InvalidSettingException> StartFails(string urls, string sandboxUrl)
    {
        var settings = TestApiKeys.Settings();
        settings["Urls"] = urls;
        settings["Sandbox:Url"] = sandboxUrl;
        await using var app = PaymentsApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        });
        return await Assert.ThrowsAsync<InvalidSettingException>(() => app.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_taken_processor_port_names_Urls_and_the_address()
    {
        var error = await StartFails(TakenAddress, $"http://127.0.0.1:{LoopbackPorts.Free()}");

        Assert.Equal("Urls", error.Key);
        Assert.Contains("Urls", error.Message);
        Assert.Contains(TakenAddress, error.Message);
        Assert.Contains("already in use", error.Message);
    }

    [Fact]
    public async Task A_taken_sandbox_port_names_Sandbox_Url_and_the_address()
    {
        var error = await StartFails("http://127.0.0.1:0", TakenAddress);

        Assert.Equal("Sandbox:Url", error.Key);
        Assert.Contains(TakenAddress, error.Message);
    }

    public void Dispose() => _taken.Dispose();
}
