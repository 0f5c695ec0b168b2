using System.Data;
using System.Data.Common;

namespace KudosRelay.Core.Storage;

/// <summary>A parameter of a statement run once per row, and how to read its value from a row.</summary>
internal sealed record RowParameter<T>(string Name, Func<T, object?> Value)
{
    /// <summary>The parameters as a statement names them: <c>@Key, @Body, …</c>.</summary>
    public static string Placeholders(IEnumerable<RowParameter<T>> parameters) => string.Join(", ", parameters.Select(parameter => "@" + parameter.Name));
}

/// <summary>
/// Runs one statement for many rows on a single prepared command whose parameters are created once;
/// only their values change from row to row. A per-row statement through Dapper rebuilt every
/// parameter for every row, and the SQLite provider then looked each one up by name several times:
/// that was most of a large import's write time. Values are bound as Dapper binds them (UTC
/// timestamps as DateTime2, null as DBNull), so rows written either way read and compare alike.
/// </summary>
internal static class PreparedRows
{
    /// <summary>
    /// Runs <paramref name="sql"/> for each row; returns the total of the rows it affected. A row that
    /// <paramref name="isDuplicate"/> says a unique key refused affected none (see <see cref="Db.UnlessDuplicateAsync"/>).
    /// </summary>
    public static async Task<int> ExecuteAsync<T>(
        DbTransaction transaction, string sql, IReadOnlyList<T> rows, IReadOnlyList<RowParameter<T>> parameters, CancellationToken cancellationToken,
        Func<DbException, bool>? isDuplicate = null)
    {
        if (rows.Count == 0)
            return 0;
        await using var command = Prepare(transaction, sql, parameters);
        var affected = 0;
        foreach (var row in rows)
        {
            Bind(command, row, parameters);
            try
            {
                affected += await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException exception) when (isDuplicate?.Invoke(exception) == true)
            {
            }
        }
        return affected;
    }

    /// <summary>
    /// Runs <paramref name="sql"/>, an insert returning the new row's id, for each row: each row's id, or null
    /// where it inserted nothing or <paramref name="isDuplicate"/> says a unique key refused it.
    /// </summary>
    public static async Task<IReadOnlyList<long?>> InsertReturningIdsAsync<T>(
        DbTransaction transaction, string sql, IReadOnlyList<T> rows, IReadOnlyList<RowParameter<T>> parameters, CancellationToken cancellationToken,
        Func<DbException, bool>? isDuplicate = null)
    {
        var ids = new long?[rows.Count];
        if (rows.Count == 0)
            return ids;
        await using var command = Prepare(transaction, sql, parameters);
        for (var index = 0; index < rows.Count; index++)
        {
            Bind(command, rows[index], parameters);
            try
            {
                ids[index] = await command.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull
                    ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
                    : null;
            }
            catch (DbException exception) when (isDuplicate?.Invoke(exception) == true)
            {
                ids[index] = null;
            }
        }
        return ids;
    }

    private static DbCommand Prepare<T>(DbTransaction transaction, string sql, IReadOnlyList<RowParameter<T>> parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            var created = command.CreateParameter();
            created.ParameterName = "@" + parameter.Name;
            command.Parameters.Add(created);
        }
        return command;
    }

    private static void Bind<T>(DbCommand command, T row, IReadOnlyList<RowParameter<T>> parameters)
    {
        for (var index = 0; index < parameters.Count; index++)
        {
            var parameter = command.Parameters[index];
            switch (parameters[index].Value(row))
            {
                case null:
                    parameter.Value = DBNull.Value;
                    break;
                case DateTime timestamp:
                    parameter.DbType = DbType.DateTime2;
                    parameter.Value = timestamp.Kind == DateTimeKind.Local ? timestamp.ToUniversalTime() : timestamp;
                    break;
                case string text:
                    // As Dapper sizes strings, so SQL Server reuses one plan whatever the lengths; SQLite takes -1 as no limit.
                    parameter.Size = text.Length <= 4000 ? 4000 : -1;
                    parameter.Value = text;
                    break;
                case var value:
                    parameter.Value = value;
                    break;
            }
        }
    }
}
