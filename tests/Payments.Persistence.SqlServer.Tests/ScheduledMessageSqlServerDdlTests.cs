using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Scheduling;
using Xunit;

namespace Payments.Persistence.SqlServer.Tests;

public sealed class ScheduledMessageSqlServerDdlTests
{
    // Never opened: GenerateCreateScript only needs the provider.
    private const string UnusedConnectionString = "Server=tcp:127.0.0.1,1;Database=payments;User ID=payments;Password=unused;Encrypt=False";

    [Fact]
    public void The_scheduled_message_table_is_real_SQL_Server_DDL()
    {
        using var context = new SchedulingOnlyContext();

        string script = context.Database.GenerateCreateScript();

        Assert.Equal(SqlServerDatabase.ProviderName, context.Database.ProviderName);
        Assert.Contains("CREATE TABLE [ScheduledMessages]", script);
        Assert.Contains("[TokenId] uniqueidentifier NOT NULL", script);
        Assert.Contains("[MessageId] uniqueidentifier NOT NULL", script);
        Assert.Contains("[CorrelationId] uniqueidentifier NULL", script);
        Assert.Contains("[DestinationAddress] nvarchar(1024) NOT NULL", script);
        Assert.Contains("[MessageType] nvarchar(2048) NOT NULL", script);
        Assert.Contains("[ContentType] nvarchar(256) NOT NULL", script);
        Assert.Contains("[Body] nvarchar(max) NOT NULL", script);
        Assert.Contains("[Headers] nvarchar(max) NULL", script);
        Assert.Contains("[DueAt] datetimeoffset NOT NULL", script);
        Assert.Contains("[CreatedAt] datetimeoffset NOT NULL", script);
        Assert.Contains("CONSTRAINT [PK_ScheduledMessages] PRIMARY KEY ([TokenId])", script);
        Assert.Contains("CREATE INDEX [IX_ScheduledMessages_DueAt] ON [ScheduledMessages] ([DueAt]);", script);
    }

    [Fact]
    public void A_schema_and_table_name_can_be_chosen()
    {
        using var context = new RenamedSchedulingContext();

        string script = context.Database.GenerateCreateScript();

        Assert.Contains("CREATE TABLE [payments].[scheduled_messages]", script);
        Assert.Contains("ON [payments].[scheduled_messages] ([DueAt])", script);
    }

    private class SchedulingOnlyContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
            optionsBuilder.UsePaymentsSqlServer(UnusedConnectionString);

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.AddScheduledMessageEntity();
    }

    // A type of its own: EF caches one model per context type.
    private sealed class RenamedSchedulingContext : SchedulingOnlyContext
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.AddScheduledMessageEntity("scheduled_messages", "payments");
    }
}
