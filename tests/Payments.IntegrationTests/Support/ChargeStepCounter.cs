using MassTransit;
using Payments.Processor.Payments;

namespace Payments.IntegrationTests.Support;

/// <summary>Counts the SubmitCharge commands one processor instance consumed.</summary>
public sealed class ChargeStepCounter : IConsumeObserver
{
    private int _consumed;

    public int Consumed => Volatile.Read(ref _consumed);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is SubmitCharge)
            Interlocked.Increment(ref _consumed);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
