using System.Runtime.CompilerServices;

// The SQL Server claim statement is checked there as text (no server in CI).
[assembly: InternalsVisibleTo("Payments.Persistence.SqlServer.Tests")]
