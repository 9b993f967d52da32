using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Persistence.Dialects;

/// <summary>
/// Builds the lock statements from the EF model; providers only supply their locking syntax. Statements are
/// cached per model, so a context type mapped to several schemas still gets the right names.
/// </summary>
public abstract class SqlLockStatementProvider : ILockStatementProvider
{
    private const string RowLock = "lock";
    private const string Claim = "claim";

    private readonly ConditionalWeakTable<IModel, ConcurrentDictionary<(Type Entity, string Kind, string Detail), string>> _statements = new();

    public string GetRowLockStatement<T>(DbContext context, params string[] keyProperties)
        where T : class
    {
        // Asked on every saga load and inbox lock: the common single-key case builds no key string.
        var key = keyProperties.Length == 1 ? keyProperties[0] : string.Join(",", keyProperties);
        return Cached(context, (typeof(T), RowLock, key), () =>
        {
            var table = TableOf<T>(context);
            var conditions = keyProperties.Select((property, index) => $"{table.Column(property)} = {{{index}}}");
            return FormatRowLock(table.Name, string.Join(" AND ", conditions));
        });
    }

    public string GetClaimStatement<T>(DbContext context, string orderByProperty, string limit, params ColumnCondition[] conditions)
        where T : class
    {
        var where = string.Join(" AND ", conditions.Select(condition => $"{condition.Property} {condition.Predicate}"));
        return Cached(context, (typeof(T), Claim, $"{where}:{orderByProperty}:{limit}"), () =>
        {
            var table = TableOf<T>(context);
            var columns = conditions.Select(condition => $"{table.Column(condition.Property)} {condition.Predicate}");
            return FormatClaim(table.Name, string.Join(" AND ", columns), table.Column(orderByProperty), limit);
        });
    }

    /// <summary>A SELECT * of <paramref name="table" /> filtered by <paramref name="condition" />, locking the rows read.</summary>
    protected abstract string FormatRowLock(string table, string condition);

    /// <summary>
    /// A SELECT * of at most <paramref name="limit" /> rows of <paramref name="table" /> ordered by
    /// <paramref name="orderBy" />, locking the rows returned and skipping rows locked by others.
    /// </summary>
    protected abstract string FormatClaim(string table, string condition, string orderBy, string limit);

    private string Cached(DbContext context, (Type Entity, string Kind, string Detail) key, Func<string> create)
    {
        return _statements.GetOrCreateValue(context.Model).GetOrAdd(key, _ => create());
    }

    private static MappedTable TableOf<T>(DbContext context)
    {
        var entityType = context.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of {context.GetType().Name}'s model. "
                + "Add it in OnModelCreating (see OutboxModelBuilderExtensions, ScheduledMessageModelBuilderExtensions).");
        var tableName = entityType.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var schema = entityType.GetSchema();
        var sql = context.GetService<ISqlGenerationHelper>();

        return new MappedTable(sql.DelimitIdentifier(tableName, schema), entityType, StoreObjectIdentifier.Table(tableName, schema), sql);
    }

    private readonly record struct MappedTable(string Name, IEntityType EntityType, StoreObjectIdentifier StoreObject, ISqlGenerationHelper Sql)
    {
        public string Column(string propertyName)
        {
            var property = EntityType.FindProperty(propertyName)
                ?? throw new InvalidOperationException($"{EntityType.DisplayName()} has no property {propertyName}.");
            var column = property.GetColumnName(StoreObject)
                ?? throw new InvalidOperationException($"{EntityType.DisplayName()}.{propertyName} is not mapped to a column.");
            return Sql.DelimitIdentifier(column);
        }
    }
}
