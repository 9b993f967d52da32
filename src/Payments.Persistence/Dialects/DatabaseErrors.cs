using System.Data.Common;

namespace Payments.Persistence.Dialects;

/// <summary>
/// Recognises the database errors that mean "someone else got there first". PostgreSQL reports them as
/// SQLSTATE codes; SQL Server as error numbers on SqlException, read by name because this project does not
/// reference Microsoft.Data.SqlClient.
/// </summary>
public static class DatabaseErrors
{
    private const string PostgresUniqueViolation = "23505";
    private const string PostgresSerializationFailure = "40001";
    private const string PostgresDeadlockDetected = "40P01";
    private static readonly int[] SqlServerUniqueViolations = [2601, 2627];
    private const int SqlServerDeadlockVictim = 1205;

    public static bool IsUniqueKeyViolation(Exception exception)
    {
        return FindDbException(exception) is { } db
            && (db.SqlState == PostgresUniqueViolation || SqlServerUniqueViolations.Contains(SqlServerErrorNumber(db)));
    }

    /// <summary>Serialization failures and deadlocks: the transaction lost a race and can simply be run again.</summary>
    public static bool IsTransientConflict(Exception exception)
    {
        return FindDbException(exception) is { } db
            && (db.SqlState is PostgresSerializationFailure or PostgresDeadlockDetected
                || SqlServerErrorNumber(db) == SqlServerDeadlockVictim);
    }

    private static DbException? FindDbException(Exception? exception)
    {
        for (; exception != null; exception = exception.InnerException)
        {
            if (exception is DbException db)
                return db;
        }

        return null;
    }

    private static int SqlServerErrorNumber(DbException exception)
    {
        if (exception.GetType().FullName != "Microsoft.Data.SqlClient.SqlException")
            return 0;

        return exception.GetType().GetProperty("Number")?.GetValue(exception) as int? ?? 0;
    }
}
