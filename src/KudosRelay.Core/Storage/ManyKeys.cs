using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace KudosRelay.Core.Storage;

/// <summary>
/// Reads the rows of many keys at once, written <c>IN @Keys</c> in the statement as for a Dapper list: SQLite gets it as one
/// JSON array (<c>json_each</c>), because it finds each named parameter by a linear search, which makes a statement
/// with hundreds of them slow; SQL Server gets a parameter list, in slices well below its 2,100 parameters.
/// </summary>
internal static class ManyKeys
{
    private const int KeysPerStatement = 1000;

    public static async Task<List<T>> QueryAsync<T, TKey>(
        DbTransaction transaction, SqlDialect dialect, string sql, IEnumerable<TKey> keys, object? parameters, CancellationToken cancellationToken)
    {
        var distinct = keys.Distinct().ToList();
        var rows = new List<T>();
        if (distinct.Count == 0)
            return rows;
        IEnumerable<(string Statement, object Keys)> slices = dialect switch
        {
            SqlDialect.Sqlite => [(sql.Replace("IN @Keys", "IN (SELECT value FROM json_each(@Keys))", StringComparison.Ordinal), JsonSerializer.Serialize(distinct))],
            SqlDialect.SqlServer => distinct.Chunk(KeysPerStatement).Select(slice => (sql, (object)slice)),
            _ => throw new NotSupportedException(dialect.ToString()),
        };
        foreach (var (statement, value) in slices)
        {
            var bound = new DynamicParameters(parameters);
            bound.Add("Keys", value);
            rows.AddRange(await transaction.Connection!.QueryAsync<T>(new CommandDefinition(statement, bound, transaction, cancellationToken: cancellationToken)));
        }
        return rows;
    }
}
