using Npgsql;
using Payments.Processor.Hosting;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

public sealed class PostgresAutoPrepareTests
{
    [Fact]
    public void A_connection_string_without_auto_prepare_gets_the_defaults_and_keeps_everything_else()
    {
        var result = new NpgsqlConnectionStringBuilder(
            PostgresAutoPrepare.WithDefaults("Host=127.0.0.1;Port=5433;Username=payments;Password=s3cret;Database=payments"));

        Assert.Equal(PostgresAutoPrepare.MaxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal(PostgresAutoPrepare.AutoPrepareMinUsages, result.AutoPrepareMinUsages);
        Assert.Equal("127.0.0.1", result.Host);
        Assert.Equal(5433, result.Port);
        Assert.Equal("payments", result.Username);
        Assert.Equal("s3cret", result.Password);
        Assert.Equal("payments", result.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0")]
    [InlineData("Host=db;maxautoprepare=10")]
    [InlineData("Host=db;Auto Prepare Min Usages=7")]
    public void A_connection_string_that_sets_auto_prepare_is_left_as_it_is(string connectionString)
    {
        Assert.Equal(connectionString, PostgresAutoPrepare.WithDefaults(connectionString));
    }
}
