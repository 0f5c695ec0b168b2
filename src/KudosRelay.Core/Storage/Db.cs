using System.Data;
using System.Data.Common;

namespace KudosRelay.Core.Storage;

/// <summary>
/// Opens connections and runs a use case in one transaction. The concrete provider (SQLite or
/// SQL Server) is supplied by KudosRelay.Data; features only see <see cref="DbConnection"/>.
/// </summary>
public sealed class Db(SqlDialect dialect, Func<DbConnection> createConnection, Func<DbConnection, CancellationToken, Task>? prepareConnection = null)
{
    /// <summary>
    /// SQLite has one writer at a time. Queueing this process's write transactions here, in order,
    /// is cheaper and fairer than letting them collide on the file lock and back off. Null for SQL
    /// Server, which locks rows. Transactions must not nest (none do: one per use case).
    /// </summary>
    private readonly SemaphoreSlim? writeGate = dialect == SqlDialect.Sqlite ? new SemaphoreSlim(1, 1) : null;

    public SqlDialect Dialect { get; } = dialect;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = createConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (prepareConnection is not null)
                await prepareConnection(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (writeGate is null)
            return await RunTransactionAsync(work, cancellationToken);
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            return await RunTransactionAsync(work, cancellationToken);
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async Task<T> RunTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync<bool>(async (connection, transaction) =>
        {
            await work(connection, transaction);
            return true;
        }, cancellationToken);

    public async Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }
}
