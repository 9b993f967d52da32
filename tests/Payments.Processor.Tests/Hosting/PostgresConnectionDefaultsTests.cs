using Npgsql;
using Payments.Processor.Hosting;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void A_connection_string_without_the_settings_gets_the_defaults_and_keeps_everything_else()
    {
        var result = new NpgsqlConnectionStringBuilder(
            PostgresConnectionDefaults.WithDefaults("Host=127.0.0.1;Port=5433;Username=payments;Password=s3cret;Database=payments"));

        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal(PostgresConnectionDefaults.AutoPrepareMinUsages, result.AutoPrepareMinUsages);
        Assert.True(result.NoResetOnClose);
        Assert.Equal("127.0.0.1", result.Host);
        Assert.Equal(5433, result.Port);
        Assert.Equal("payments", result.Username);
        Assert.Equal("s3cret", result.Password);
        Assert.Equal("payments", result.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0, 5)]
    [InlineData("Host=db;maxautoprepare=10", 10, 5)]
    [InlineData("Host=db;Auto Prepare Min Usages=7", 0, 7)]
    public void A_connection_string_that_sets_auto_prepare_keeps_its_own_values(string connectionString, int maxAutoPrepare, int minUsages)
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.WithDefaults(connectionString));

        Assert.Equal(maxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal(minUsages, result.AutoPrepareMinUsages);
    }

    [Fact]
    public void A_connection_string_that_asks_for_a_reset_on_close_keeps_it()
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.WithDefaults("Host=db;No Reset On Close=false"));

        Assert.False(result.NoResetOnClose);
    }
}
