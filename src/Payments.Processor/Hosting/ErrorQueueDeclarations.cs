using MassTransit;
using Payments.Processor.Payments;
using RabbitMQ.Client;

namespace Payments.Processor.Hosting;

/// <summary>
/// Declares every processor endpoint's <c>_error</c> and <c>_skipped</c> exchange and queue, bound together, before the
/// bus starts. MassTransit declares them only when it first moves a message there; on a fresh broker a copy sent to an
/// error exchange before that has no queue bound and is dropped. Registered before the bus's hosted service.
/// </summary>
public sealed partial class ErrorQueueDeclarations(RabbitMqSettings rabbit, TimeProvider clock, ILogger<ErrorQueueDeclarations> logger)
    : IHostedService
{
    /// <summary>The processor's receive endpoints (the saga's, then the kebab-case names of its consumers).</summary>
    public static IReadOnlyList<string> ProcessorQueues { get; } =
    [
        PaymentStateMachineDefinition.QueueName,
        SubmitChargeConsumer.QueueName,
        KebabCaseEndpointNameFormatter.Instance.Consumer<InquirePaymentStatusConsumer>(),
        KebabCaseEndpointNameFormatter.Instance.Consumer<CancelPaymentConsumer>(),
        KebabCaseEndpointNameFormatter.Instance.Consumer<SubmitCancelConsumer>(),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await Declare(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The broker may still be starting: wait, as the bus itself would, rather than fail the host.
                LogBrokerUnavailable(logger, delay, ex.GetType().Name);
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task Declare(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            ClientProvidedName = "payments-error-queue-declarations",
        };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        // MassTransit gives an endpoint's _error and _skipped queues the endpoint's own queue arguments.
        Dictionary<string, object?>? arguments = rabbit.QuorumQueues ? new() { ["x-queue-type"] = RabbitMqSettings.QuorumQueueType } : null;
        foreach (var queue in ProcessorQueues)
        {
            foreach (var suffix in new[] { ScrubbedErrorQueues.ErrorSuffix, ScrubbedErrorQueues.SkippedSuffix })
            {
                // The same shape MassTransit declares (durable fanout exchange, durable queue, the endpoint's queue
                // arguments), so its own later declaration of these names is equivalent and accepted.
                var name = queue + suffix;
                await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
                await channel.QueueBindAsync(name, name, "", cancellationToken: cancellationToken);
            }
        }
        await channel.CloseAsync(cancellationToken);
        await connection.CloseAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not declare the error queues ({Error}); retrying in {Delay}")]
    private static partial void LogBrokerUnavailable(ILogger logger, TimeSpan delay, string error);
}
