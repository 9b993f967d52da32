using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Scheduling;
using Xunit;

namespace Payments.Persistence.SqlServer.Tests;

/// <summary>No SQL Server here: the claim statement is checked as the text EF would send.</summary>
public sealed class ScheduledMessageClaimSqlServerTests
{
    [Fact]
    public void Claiming_due_messages_skips_rows_other_dispatchers_hold()
    {
        using var context = new ClaimContext();
        var store = new EntityFrameworkScheduledMessageStore<ClaimContext>(context);

        string sql = store.DueForUpdate(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero), 25).ToQueryString();

        Assert.Contains("SELECT TOP (@p1) * FROM [payments].[scheduled_messages] WITH (UPDLOCK, ROWLOCK, READPAST)", sql);
        Assert.Contains("WHERE [due_at] <= @p0 ORDER BY [due_at]", sql);
        Assert.Contains("p0 datetimeoffset = '2026-11-21T08:00:00.0000000+00:00'", sql);
        Assert.DoesNotContain("SKIP LOCKED", sql);
    }

    private sealed class ClaimContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
            optionsBuilder.UsePaymentsSqlServer("Server=tcp:127.0.0.1,1;Database=payments;User ID=payments;Password=unused;Encrypt=False");

        // Names as a snake_case convention would give them: the statement must follow the model.
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.AddScheduledMessageEntity("scheduled_messages", "payments");
            modelBuilder.Entity<ScheduledMessage>().Property(x => x.DueAt).HasColumnName("due_at");
        }
    }
}
