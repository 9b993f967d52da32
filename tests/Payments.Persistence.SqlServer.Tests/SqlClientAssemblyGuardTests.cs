using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Xunit;

namespace Payments.Persistence.SqlServer.Tests;

/// <summary>
/// Microsoft.Data.SqlClient is referenced by path, without its package dependencies, next to a stand-in
/// Microsoft.SqlServer.Server. These tests fail if something it needs to bind parameters is missing.
/// </summary>
public sealed class SqlClientAssemblyGuardTests
{
    private const string StandInAssemblyName = "Microsoft.SqlServer.Server";

    [Fact]
    public async Task A_parameterized_command_against_a_closed_port_fails_with_a_network_SqlException()
    {
        int closedPort = FindClosedLoopbackPort();
        var connectionString = new SqlConnectionStringBuilder
        {
            DataSource = $"tcp:127.0.0.1,{closedPort}",
            UserID = "payments",
            Password = "not-a-secret",
            Encrypt = SqlConnectionEncryptOption.Optional,
            ConnectTimeout = 3,
            ConnectRetryCount = 0,
            Pooling = false,
        }.ConnectionString;

        await using var connection = new SqlConnection(connectionString);
        await using var command = new SqlCommand("SELECT @amount, @reference", connection);
        command.Parameters.Add(new SqlParameter("@amount", System.Data.SqlDbType.Decimal) { Precision = 18, Scale = 2, Value = 125.50m });
        command.Parameters.AddWithValue("@reference", "order-42");

        SqlException exception = await Assert.ThrowsAsync<SqlException>(async () =>
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        });

        // SqlClient's own client-side network error (severity 20, no server error number), not a loader failure.
        Assert.Contains("network-related", exception.Message, StringComparison.Ordinal);
        Assert.Equal(20, exception.Class);
        Assert.Equal(0, exception.Number);
    }

    [Fact]
    public void The_parameter_binding_path_compiles_with_the_stand_in_loaded()
    {
        Type tdsParser = typeof(SqlConnection).Assembly.GetType("Microsoft.Data.SqlClient.TdsParser", throwOnError: true)!;
        MethodInfo[] addParameter = tdsParser
            .GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(method => method.Name == "TDSExecuteRPCAddParameter")
            .ToArray();

        Assert.NotEmpty(addParameter);
        foreach (MethodInfo method in addParameter)
        {
            // Throws FileNotFoundException/TypeLoadException if a type the method uses cannot be loaded.
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }

        Assert.Contains(AppDomain.CurrentDomain.GetAssemblies(), assembly => assembly.GetName().Name == StandInAssemblyName);
    }

    [Fact]
    public void Every_type_SqlClient_takes_from_Microsoft_SqlServer_Server_exists_in_the_stand_in()
    {
        Assembly standIn = Assembly.Load(new AssemblyName(StandInAssemblyName));
        Assert.Equal(new Version(1, 0, 0, 0), standIn.GetName().Version);

        List<string> referenced = TypeNamesReferencedFrom(typeof(SqlConnection).Assembly.Location, StandInAssemblyName);

        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.True(standIn.GetType(name) is not null, $"{name} is missing from the stand-in"));
    }

    private static List<string> TypeNamesReferencedFrom(string assemblyPath, string referencedAssemblyName)
    {
        using FileStream file = File.OpenRead(assemblyPath);
        using var pe = new PEReader(file);
        MetadataReader metadata = pe.GetMetadataReader();

        var names = new List<string>();
        foreach (TypeReferenceHandle handle in metadata.TypeReferences)
        {
            TypeReference reference = metadata.GetTypeReference(handle);
            if (reference.ResolutionScope.Kind != HandleKind.AssemblyReference)
            {
                continue;
            }

            AssemblyReference owner = metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope);
            if (metadata.GetString(owner.Name) == referencedAssemblyName)
            {
                names.Add($"{metadata.GetString(reference.Namespace)}.{metadata.GetString(reference.Name)}");
            }
        }

        return names;
    }

    private static int FindClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
