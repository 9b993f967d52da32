namespace Payments.IntegrationTests.Support;

/// <summary>The processor with RabbitMq:QueueType=quorum, on a single test node.</summary>
public sealed class QuorumQueuesEnvironment : DurableEnvironment
{
    public override Dictionary<string, string> ProcessorSettings()
    {
        var settings = base.ProcessorSettings();
        settings["RabbitMq:QueueType"] = "quorum";
        return settings;
    }
}
