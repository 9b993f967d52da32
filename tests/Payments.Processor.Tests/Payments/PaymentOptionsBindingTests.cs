using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.Processor.Payments;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>A list in configuration replaces the default list; the binder alone would append to it.</summary>
public sealed class PaymentOptionsBindingTests
{
    private static PaymentOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddOptions<PaymentOptions>().BindReplacingDefaultLists(configuration.GetSection(PaymentOptions.Section));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PaymentOptions>>().Value;
    }

    [Fact]
    public void Six_configured_retry_intervals_are_the_six_intervals()
    {
        var configured = Enumerable.Range(0, 6).ToDictionary(i => $"Payments:RetryIntervals:{i}", i => (string?)$"00:00:0{i + 1}");

        var options = Bind(configured);

        Assert.Equal(Enumerable.Range(1, 6).Select(s => TimeSpan.FromSeconds(s)), options.RetryIntervals);
        Assert.Equal(new PaymentOptions().InquiryBackoff, options.InquiryBackoff);
    }

    [Fact]
    public void Configured_inquiry_backoff_replaces_the_default()
    {
        var options = Bind(new()
        {
            ["Payments:InquiryBackoff:0"] = "00:00:03",
            ["Payments:InquiryBackoff:1"] = "00:00:09",
            ["Payments:ThreeDsWindow"] = "00:05:00",
        });

        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9)], options.InquiryBackoff);
        Assert.Equal(new PaymentOptions().RetryIntervals, options.RetryIntervals);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ThreeDsWindow);
    }

    [Fact]
    public void Nothing_configured_keeps_every_default()
    {
        var options = Bind([]);

        Assert.Equal(new PaymentOptions().RetryIntervals, options.RetryIntervals);
        Assert.Equal(new PaymentOptions().InquiryBackoff, options.InquiryBackoff);
        Assert.Equal(6, options.RetryIntervals.Length);
    }

    [Fact]
    public void The_processor_binds_its_options_this_way()
    {
        using var app = PaymentsApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:RetryIntervals:0"] = "00:00:01",
            ["Payments:RetryIntervals:1"] = "00:00:02",
        }));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)],
            app.Services.GetRequiredService<IOptions<PaymentOptions>>().Value.RetryIntervals);
    }
}
