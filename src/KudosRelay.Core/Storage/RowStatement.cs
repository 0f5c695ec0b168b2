using System.Data;
using System.Data.Common;

namespace KudosRelay.Core.Storage;

/// <summary>
/// A statement prepared once on a transaction's connection and run for many rows, only its parameter values changing
/// (see <see cref="PreparedRows"/>). Values come in the order of the parameter names it was prepared with: null for
/// SQL NULL, UTC timestamps as <see cref="DateTime"/>.
/// </summary>
public interface IRowStatement : IAsyncDisposable
{
    /// <summary>Runs the statement for one row; the number of rows it changed.</summary>
    ValueTask<int> ExecuteAsync(object?[] values, CancellationToken cancellationToken);

    /// <summary>Runs an insert that returns the new row's id for one row; null when it inserted nothing.</summary>
    ValueTask<long?> InsertReturningIdAsync(object?[] values, CancellationToken cancellationToken);
}

/// <summary>Prepares <paramref name="sql"/>, whose parameters are named <c>@Name</c>, on the connection of <paramref name="transaction"/>.</summary>
public delegate IRowStatement PrepareRowStatement(DbTransaction transaction, string sql, IReadOnlyList<string> parameterNames);

/// <summary>
/// A row statement through the provider's own command: one command whose parameters are created once. Values are
/// bound as Dapper binds them (timestamps as DateTime2, strings sized as Dapper sizes them, so SQL Server reuses one
/// plan whatever their lengths), so rows written either way read and compare alike.
/// </summary>
internal sealed class ProviderRowStatement : IRowStatement
{
    private readonly DbCommand command;

    public ProviderRowStatement(DbTransaction transaction, string sql, IReadOnlyList<string> parameterNames)
    {
        command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }
    }

    public async ValueTask<int> ExecuteAsync(object?[] values, CancellationToken cancellationToken)
    {
        Bind(values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<long?> InsertReturningIdAsync(object?[] values, CancellationToken cancellationToken)
    {
        Bind(values);
        return await command.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull
            ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    private void Bind(object?[] values)
    {
        for (var index = 0; index < values.Length; index++)
        {
            var parameter = command.Parameters[index];
            switch (values[index])
            {
                case null:
                    parameter.Value = DBNull.Value;
                    break;
                case DateTime timestamp:
                    parameter.DbType = DbType.DateTime2;
                    parameter.Value = timestamp;
                    break;
                case string text:
                    // SQLite takes -1 as no limit.
                    parameter.Size = text.Length <= 4000 ? 4000 : -1;
                    parameter.Value = text;
                    break;
                case var value:
                    parameter.Value = value;
                    break;
            }
        }
    }

    public ValueTask DisposeAsync() => command.DisposeAsync();
}
