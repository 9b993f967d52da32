using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Payments.IntegrationTests.Support;
using Payments.Processor.Persistence;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>
/// A payment under way when the processor is upgraded keeps counting its statuses: its next PaymentStatusChanged must
/// not restart at 1 and be taken by a consumer for an older event.
/// </summary>
public sealed class StatusSequenceMigrationTests
{
    private const string Before = "20261203131034_PaymentsNeedReconciliation";

    [Fact]
    public async Task The_migration_counts_the_statuses_a_payment_already_had_and_not_its_notes()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await TestServices.CreateDatabase($"sequence_migration_{Guid.NewGuid():N}");
        await using var db = new PaymentsDbContext(new DbContextOptionsBuilder<PaymentsDbContext>().UseNpgsql(connectionString).Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before, ct);
        var underWay = Guid.NewGuid();
        var fresh = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, state) in new[] { (underWay, "Processing"), (fresh, "Pending") })
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO payments ("CorrelationId", "CurrentState", "Version", "MerchantReference", "Amount", "Currency",
                    "Gateway", "InquiryAttempts", "CreatedAt", "UpdatedAt", "NeedsReconciliation")
                VALUES ({id}, {state}, 1, {"ORD-" + id.ToString("N")}, 100000, 'IDR', 'Singapay', 0, {now}, {now}, false)
                """, ct);
        // Pending, then a note that stays on Pending (a duplicate command), then Processing: two statuses.
        foreach (var (id, sequence, from, to) in new[]
                 {
                     (underWay, 1, (string?)null, "Pending"), (underWay, 2, "Pending", "Pending"), (underWay, 3, "Pending", "Processing"),
                     (fresh, 1, null, "Pending"),
                 })
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO payment_transitions ("PaymentId", "Sequence", "At", "From", "To", "Cause", "Contradiction")
                VALUES ({id}, {sequence}, {now}, {from}, {to}, 'command', false)
                """, ct);

        await migrator.MigrateAsync(cancellationToken: ct);

        var sequences = await db.Database
            .SqlQuery<int>($"""SELECT "StatusSequence" AS "Value" FROM payments WHERE "CorrelationId" IN ({underWay}, {fresh}) ORDER BY "CurrentState" DESC""")
            .ToListAsync(ct);
        Assert.Equal([2, 1], sequences);
    }
}
