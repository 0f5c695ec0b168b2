using System.Data.Common;

namespace KudosRelay.Core.Storage;

/// <summary>A parameter of a statement run once per row, and how to read its value from a row.</summary>
internal sealed record RowParameter<T>(string Name, Func<T, object?> Value)
{
    /// <summary>The parameters as a statement names them: <c>@Key, @Body, …</c>.</summary>
    public static string Placeholders(IEnumerable<RowParameter<T>> parameters) => string.Join(", ", parameters.Select(parameter => "@" + parameter.Name));
}

/// <summary>
/// Runs one statement for many rows on a single prepared statement (<see cref="Db.PrepareRows"/>); only its values
/// change from row to row. A per-row statement through Dapper rebuilt every parameter for every row, and the SQLite
/// provider then looked each one up by name several times: that was most of a large import's write time.
/// </summary>
internal static class PreparedRows
{
    /// <summary>
    /// Runs <paramref name="sql"/> for each row; returns the total of the rows it affected. A row that
    /// <paramref name="isDuplicate"/> says a unique key refused affected none (see <see cref="Db.UnlessDuplicateAsync"/>).
    /// </summary>
    public static async Task<int> ExecuteAsync<T>(
        Db db, DbTransaction transaction, string sql, IReadOnlyList<T> rows, IReadOnlyList<RowParameter<T>> parameters, CancellationToken cancellationToken,
        Func<DbException, bool>? isDuplicate = null)
    {
        if (rows.Count == 0)
            return 0;
        await using var statement = db.PrepareRows(transaction, sql, [.. parameters.Select(parameter => parameter.Name)]);
        var values = new object?[parameters.Count];
        var affected = 0;
        foreach (var row in rows)
        {
            Fill(values, row, parameters);
            try
            {
                affected += await statement.ExecuteAsync(values, cancellationToken);
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
        Db db, DbTransaction transaction, string sql, IReadOnlyList<T> rows, IReadOnlyList<RowParameter<T>> parameters, CancellationToken cancellationToken,
        Func<DbException, bool>? isDuplicate = null)
    {
        var ids = new long?[rows.Count];
        if (rows.Count == 0)
            return ids;
        await using var statement = db.PrepareRows(transaction, sql, [.. parameters.Select(parameter => parameter.Name)]);
        var values = new object?[parameters.Count];
        for (var index = 0; index < rows.Count; index++)
        {
            Fill(values, rows[index], parameters);
            try
            {
                ids[index] = await statement.InsertReturningIdAsync(values, cancellationToken);
            }
            catch (DbException exception) when (isDuplicate?.Invoke(exception) == true)
            {
                ids[index] = null;
            }
        }
        return ids;
    }

    private static void Fill<T>(object?[] values, T row, IReadOnlyList<RowParameter<T>> parameters)
    {
        for (var index = 0; index < parameters.Count; index++)
        {
            var value = parameters[index].Value(row);
            values[index] = value is DateTime { Kind: DateTimeKind.Local } local ? local.ToUniversalTime() : value;
        }
    }
}
