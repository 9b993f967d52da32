using System.Data.Common;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.IntegrationTests.Support;
using Payments.Processor;
using Payments.Processor.Hosting;
using Payments.Processor.Payments;
using Payments.Processor.Persistence;
using RabbitMQ.Client;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>
/// The processor on RabbitMQ and PostgreSQL, with a database that rejects the payment's own (saga) row for references
/// starting <see cref="RejectedReference"/>: a permanent failure that no upfront validation catches, before any charge.
/// </summary>
public sealed class RejectingDatabaseEnvironment : DurableEnvironment
{
    public const string RejectedReference = "DB-REJECT-";
    private WebApplication? _app;

    protected override bool InProcessProcessor => false;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = ProcessorSettings();
        _app = PaymentsApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings!);
            builder.Services.ConfigureDbContext<PaymentsDbContext>(db => db.AddInterceptors(new RejectingInterceptor()));
            // Exactly these retries (configuration arrays bind onto the defaults' longer array): 3.4 s, not 4 minutes.
            builder.Services.PostConfigure<PaymentOptions>(o => o.RetryIntervals =
                [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]);
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    private sealed class RejectingInterceptor : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (eventData.Context!.ChangeTracker.Entries<PaymentState>()
                .Any(e => e.State == EntityState.Added && e.Entity.MerchantReference.StartsWith(RejectedReference, StringComparison.Ordinal)))
                throw new DbUpdateException("simulated rejection of card 4111111111111111: value too long for type character varying(100)");
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}

/// <summary>Issue 8, item 3: whatever fails, no card number, CVV or expiry rests in RabbitMQ, and no payment is lost.</summary>
[Collection(RealServices.Name)]
public sealed class NoCardAtRestTests(RejectingDatabaseEnvironment environment) : IClassFixture<RejectingDatabaseEnvironment>
{
    private const string Pan = "4111111111111111";
    private const string Masked = "411111******1111";
    private const string Cvv = "987";
    private const string Expiry = "3011"; // YYMM

    private static readonly string[] PaymentsFailureQueues = ["payments" + ScrubbedErrorQueues.ErrorSuffix, "payments" + ScrubbedErrorQueues.SkippedSuffix];

    [Fact]
    public async Task A_ChargeRequested_that_does_not_deserialize_rests_in_payments_error_only_scrubbed()
    {
        await using var broker = await BrokerQueues.Open(environment.Name);
        var paymentId = Guid.NewGuid();
        var envelope = """
            {"messageId":"MESSAGE_ID","messageType":["urn:message:Payments.Contracts:ChargeRequested"],
             "message":{"paymentId":"PAYMENT_ID","merchantReference":"IT-MALFORMED","amount":"abc","currency":"IDR",
               "card":{"number":"PAN","expiry":"EXPIRY","cvv":"CVV","holderName":"Siti Rahma"}}}
            """
            .Replace("MESSAGE_ID", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("PAYMENT_ID", paymentId.ToString(), StringComparison.Ordinal)
            .Replace("PAN", Pan, StringComparison.Ordinal)
            .Replace("EXPIRY", Expiry, StringComparison.Ordinal)
            .Replace("CVV", Cvv, StringComparison.Ordinal);
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };

        await broker.Channel.BasicPublishAsync("", "payments", true, properties, Encoding.UTF8.GetBytes(envelope),
            TestContext.Current.CancellationToken);

        var taken = await broker.DrainUntil(m => m.Body.Contains(paymentId.ToString(), StringComparison.Ordinal), TimeSpan.FromSeconds(60),
            PaymentsFailureQueues);
        // MassTransit may also dead-letter it as unconsumed after the fault: a second copy, in payments_skipped, scrubbed too.
        var copies = taken.Where(m => m.Body.Contains(paymentId.ToString(), StringComparison.Ordinal)).ToList();
        Assert.Contains(copies, copy => copy.Queue == "payments_error");
        Assert.All(copies, copy =>
        {
            Assert.Contains(Masked, copy.Body);
            Assert.Contains("\"amount\":\"abc\"", copy.Body);
        });
        AssertNoCardData(taken);
        Assert.Equal(0, environment.Merchant.CompletedCount(paymentId));
    }

    [Fact]
    public async Task A_ChargeRequested_the_database_keeps_rejecting_completes_Failed_and_rests_only_scrubbed()
    {
        await using var broker = await BrokerQueues.Open(environment.Name);
        var charge = Charges.Valid(Pan) with
        {
            MerchantReference = RejectingDatabaseEnvironment.RejectedReference + Guid.NewGuid().ToString("N")[..12],
            Card = new CardDetails { Number = Pan, Expiry = Expiry, Cvv = Cvv, HolderName = "Siti Rahma", HolderEmail = "siti@example.com" },
        };

        await environment.Merchant.Bus.Publish(charge, TestContext.Current.CancellationToken);

        var completed = await environment.Merchant.WaitForCompletion(charge.PaymentId);
        Assert.False(completed.Succeeded);
        Assert.Equal(PaymentStatuses.Failed, completed.Status);
        Assert.Equal(FailureCodes.ProcessingError, completed.FailureCode);
        Assert.Contains("DbUpdateException", completed.FailureReason);
        Assert.DoesNotContain(Pan, completed.FailureReason);
        Assert.Equal(Masked, completed.CardMasked);
        Assert.Contains(environment.Merchant.StatusChanges, s => s.PaymentId == charge.PaymentId && s.Status == PaymentStatuses.Failed);
        Assert.Equal(0, environment.SingapayLedger.ChargesFor(charge.MerchantReference));

        var taken = await broker.DrainUntil(m => m.Body.Contains(charge.PaymentId.ToString(), StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), PaymentsFailureQueues);
        var copies = taken.Where(m => m.Body.Contains(charge.PaymentId.ToString(), StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        Assert.All(copies, copy =>
        {
            Assert.Equal("payments_error", copy.Queue);
            Assert.Contains(FailureCodes.ProcessingError, copy.Headers[ScrubbedErrorTransportFilter.OutcomeHeader]);
            Assert.Contains(Masked, copy.Headers["MT-Fault-Message"]);
        });
        AssertNoCardData(taken);
        Assert.Equal(1, environment.Merchant.CompletedCount(charge.PaymentId));
    }

    [Fact]
    public async Task Every_processor_endpoints_error_and_skipped_queues_exist_and_are_bound_from_the_start()
    {
        // The fixture's virtual host was created empty just before the processor started.
        await using var broker = await BrokerQueues.Open(environment.Name);
        foreach (var queue in ErrorQueueDeclarations.ProcessorQueues)
        {
            foreach (var name in new[] { queue + ScrubbedErrorQueues.ErrorSuffix, queue + ScrubbedErrorQueues.SkippedSuffix })
            {
                await broker.Channel.QueueDeclarePassiveAsync(name, TestContext.Current.CancellationToken);
                if (name.StartsWith("payments_", StringComparison.Ordinal))
                    continue; // the other tests read these; a probe there would only get in their way
                var probe = Encoding.UTF8.GetBytes("probe " + name);
                await broker.Channel.BasicPublishAsync(name, "", true, new BasicProperties(), probe, TestContext.Current.CancellationToken);
                var arrived = await broker.DrainUntil(m => m.Body == "probe " + name, TimeSpan.FromSeconds(10), name);
                Assert.Contains(arrived, m => m.Body == "probe " + name);
            }
        }
        Assert.Contains("payments", ErrorQueueDeclarations.ProcessorQueues);
        Assert.Contains("inquire-payment-status", ErrorQueueDeclarations.ProcessorQueues);
        Assert.Contains("cancel-payment", ErrorQueueDeclarations.ProcessorQueues);
    }

    private static void AssertNoCardData(IEnumerable<RestingMessage> messages)
    {
        foreach (var message in messages)
        {
            Assert.DoesNotContain(Pan, message.Everything);
            Assert.DoesNotContain($"\"{Cvv}\"", message.Everything);
            Assert.DoesNotContain($"\"{Expiry}\"", message.Everything);
            Assert.DoesNotContain("\"cvv\"", message.Everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"expiry\"", message.Everything, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("card numbers masked, CVV and expiry removed", message.Headers[ScrubbedErrorQueues.ScrubbedHeader]);
        }
    }
}
