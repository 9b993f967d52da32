using Payments.Contracts;
using Payments.IntegrationTests.Support;
using Payments.Processor.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>
/// Issue 11's scale-out: two processors on one broker and one database share the work as competing consumers, with
/// no double charge and no duplicate PaymentCompleted.
/// </summary>
[Collection(RealServices.Name)]
public sealed class ScaleOutTests(TwoProcessorsEnvironment environment) : IClassFixture<TwoProcessorsEnvironment>
{
    [Fact]
    public async Task Two_processors_share_the_charges_and_charge_and_complete_each_payment_once()
    {
        var charges = Enumerable.Range(0, 40).Select(_ => Charges.Valid("4111111111111111")).ToList();

        var ids = await Task.WhenAll(charges.Select(environment.Post));

        foreach (var id in ids)
            Assert.True((await environment.Merchant.WaitForCompletion(id)).Succeeded);
        // Both instances charged some: the work was shared, not just survived.
        Assert.InRange(environment.FirstCharges.Consumed, 1, charges.Count - 1);
        Assert.Equal(charges.Count, environment.FirstCharges.Consumed + environment.SecondCharges.Consumed);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // room for a wrong second completion
        Assert.All(ids, id => Assert.Equal(1, environment.Merchant.CompletedCount(id)));
        Assert.All(charges, charge => Assert.Equal(1, environment.SingapayLedger.ChargesFor(charge.MerchantReference)));
    }
}

/// <summary>RabbitMQ quorum queues (RabbitMq:QueueType=quorum) on a single node: declared as such, and payments flow.</summary>
[Collection(RealServices.Name)]
public sealed class QuorumQueueTests(QuorumQueuesEnvironment environment) : IClassFixture<QuorumQueuesEnvironment>
{
    [Fact]
    public async Task The_processor_declares_quorum_queues_and_a_payment_completes_on_them()
    {
        var charge = Charges.Valid("4111111111111111");

        var id = await environment.Post(charge);

        Assert.True((await environment.Merchant.WaitForCompletion(id)).Succeeded);
        await using var broker = await BrokerQueues.Open(environment.Name);
        foreach (var queue in new[] { PaymentsBus.ChargeRequestsQueue, "payments-charge", "payments" + ScrubbedErrorQueues.ErrorSuffix })
            Assert.True(await IsQuorum(queue), $"{queue} is not a quorum queue");
    }

    /// <summary>Declaring an existing queue with other arguments fails: a quorum declaration passes only on a quorum queue.</summary>
    private async Task<bool> IsQuorum(string queue)
    {
        var (host, port) = TestServices.RabbitMq;
        var factory = new ConnectionFactory { HostName = host, Port = port, VirtualHost = environment.Name };
        await using var connection = await factory.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: TestContext.Current.CancellationToken);
            return true;
        }
        catch (OperationInterruptedException)
        {
            return false;
        }
    }
}
