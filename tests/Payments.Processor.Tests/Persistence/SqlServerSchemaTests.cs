using Microsoft.EntityFrameworkCore;
using Payments.Persistence.SqlServer;
using Payments.Processor.Persistence;
using Xunit;

namespace Payments.Processor.Tests.Persistence;

/// <summary>
/// No SQL Server runs here, so the SQL Server schema is checked as far as it can be: the DDL the model generates
/// is exactly the committed infra/sqlserver/schema.sql. Regenerate with PAYMENTS_WRITE_SCHEMA=1.
/// </summary>
public sealed class SqlServerSchemaTests
{
    private static string GeneratedDdl()
    {
        var options = new DbContextOptionsBuilder<PaymentsDbContext>()
            .UsePaymentsSqlServer("Server=127.0.0.1,1;Database=Payments;User Id=sa;Password=unused;TrustServerCertificate=True")
            .Options;
        using var db = new PaymentsDbContext(options);
        return db.Database.GenerateCreateScript().ReplaceLineEndings("\n").Trim() + "\n";
    }

    private static string CommittedPath => Path.Combine(RepositoryRoot(), "infra", "sqlserver", "schema.sql");

    [Fact]
    public void The_committed_SQL_Server_DDL_is_what_the_model_generates()
    {
        var generated = GeneratedDdl();
        if (Environment.GetEnvironmentVariable("PAYMENTS_WRITE_SCHEMA") == "1")
            File.WriteAllText(CommittedPath, generated);

        Assert.Equal(File.ReadAllText(CommittedPath).ReplaceLineEndings("\n"), generated);
    }

    [Fact]
    public void The_SQL_Server_schema_uses_rowversion()
    {
        var ddl = GeneratedDdl();

        Assert.Contains("[RowVersion] rowversion", ddl);
        Assert.Contains("datetimeoffset", ddl);
        Assert.Contains("CREATE UNIQUE INDEX [IX_charge_attempts_Gateway_MerchantReference]", ddl);
    }

    private static readonly string[] CardDataColumns = ["Cvv", "Cvc", "CardNumber", "Number", "Pan", "Expiry", "CardExpiry", "Card"];

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore.SqlServer")]
    [InlineData("Npgsql.EntityFrameworkCore.PostgreSQL")]
    public void No_table_has_a_column_for_card_data(string provider)
    {
        var builder = new DbContextOptionsBuilder<PaymentsDbContext>();
        var options = (provider.Contains("SqlServer") ? builder.UsePaymentsSqlServer("Server=unused") : builder.UseNpgsql("Host=unused")).Options;
        using var db = new PaymentsDbContext(options);

        var columns = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Select(p => p.GetColumnName()).ToList();

        Assert.Contains("CardMasked", columns);
        Assert.Empty(columns.Intersect(CardDataColumns, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_PostgreSQL_model_uses_xmin()
    {
        var options = new DbContextOptionsBuilder<PaymentsDbContext>().UseNpgsql("Host=unused").Options;
        using var db = new PaymentsDbContext(options);

        Assert.Contains("xmin", db.Model.FindEntityType(typeof(global::Payments.Processor.Payments.PaymentState))!
            .GetProperties().Select(p => p.GetColumnName()));
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Payments.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Payments.sln not found");
    }
}
