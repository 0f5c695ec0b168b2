using System.Data;
using System.Data.Common;

namespace KudosRelay.Core.Storage;

/// <summary>
/// Opens connections and runs a use case in one transaction. The concrete provider (SQLite or
/// SQL Server) is supplied by KudosRelay.Data, with <paramref name="classify"/> telling what its errors
/// mean; features only see <see cref="DbConnection"/>.
/// </summary>
public sealed class Db(
    SqlDialect dialect,
    Func<DbConnection> createConnection,
    Func<DbConnection, CancellationToken, Task>? prepareConnection = null,
    Func<DbException, DbFailure>? classify = null,
    PrepareRowStatement? prepareRows = null)
{
    /// <summary>A transaction that lost to another one runs again, at most this many times in all: a deadlock repeats only under a pattern that needs fixing, not retrying.</summary>
    private const int MaxAttempts = 3;

    /// <summary>
    /// SQLite has one writer at a time. Queueing this process's write transactions (and single writes through
    /// <see cref="WriteAsync{T}"/>) here, in order, is cheaper and fairer than letting them collide on the file
    /// lock and back off. Null for SQL Server, which locks rows.
    /// </summary>
    private readonly SemaphoreSlim? writeGate = dialect == SqlDialect.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>
    /// The transaction this flow of work is inside, if any. A transaction started within it joins it instead of
    /// waiting for the write gate the outer one holds (and, on SQLite, for the file lock it holds): that would never end.
    /// </summary>
    private readonly AsyncLocal<Ambient?> ambient = new();

    private sealed class Ambient(DbConnection connection, DbTransaction transaction)
    {
        public DbConnection Connection { get; } = connection;
        public DbTransaction Transaction { get; } = transaction;

        // Work started inside a transaction and still running after it ended must not join a finished transaction.
        public bool Open { get; set; } = true;
    }

    public SqlDialect Dialect { get; } = dialect;

    public DbFailure Classify(DbException exception) => classify?.Invoke(exception) ?? DbFailure.Other;

    public bool IsDuplicateKey(DbException exception) => Classify(exception) == DbFailure.DuplicateKey;

    /// <summary>
    /// A statement to run for many rows in <paramref name="transaction"/> (see <see cref="PreparedRows"/>): the provider's
    /// command, or what the database's setup supplies instead (SQLite's own statement, bound by position).
    /// </summary>
    public IRowStatement PrepareRows(DbTransaction transaction, string sql, IReadOnlyList<string> parameterNames) =>
        prepareRows?.Invoke(transaction, sql, parameterNames) ?? new ProviderRowStatement(transaction, sql, parameterNames);

    /// <summary>
    /// Runs one insert-if-missing statement (<see cref="SqlStatements.InsertUnlessExists"/> and its kin).
    /// Its existence check and its insert are one statement, yet a writer that stores the same key in
    /// between (SQL Server under some plans and isolation levels) makes the unique key refuse ours; that
    /// means what "exists already" means, so the answer is <paramref name="duplicate"/>, not an error.
    /// The statement alone is undone; the caller's transaction goes on.
    /// </summary>
    public async Task<T> UnlessDuplicateAsync<T>(Func<Task<T>> insert, T duplicate)
    {
        try
        {
            return await insert();
        }
        catch (DbException exception) when (IsDuplicateKey(exception))
        {
            return duplicate;
        }
    }

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

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it. When the database undid the
    /// transaction because it lost to another one (<see cref="DbFailure.Conflict"/>), the work runs again
    /// from the start on a new connection, so it must keep its state inside the transaction. Called inside
    /// another transaction of the same flow, it joins that one: its work commits (or not) with the outer work.
    /// <paramref name="checkpointedElsewhere"/>: another task of the caller checkpoints beside it (see <see cref="CheckpointAsync"/>).
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken, bool checkpointedElsewhere = false)
    {
        if (ambient.Value is { Open: true } outer)
            return await work(outer.Connection, outer.Transaction);
        if (writeGate is null)
            return await RunWithRetriesAsync(work, checkpointedElsewhere, cancellationToken);
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            return await RunWithRetriesAsync(work, checkpointedElsewhere, cancellationToken);
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>
    /// One write outside a use case's transaction (releasing leases, re-queueing a message): it waits for the write
    /// gate like a transaction does, or joins the transaction this flow is inside.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        if (ambient.Value is { Open: true } outer)
            return await work(outer.Connection);
        if (writeGate is null)
            return await WithConnectionAsync(work, cancellationToken);
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            return await WithConnectionAsync(work, cancellationToken);
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async Task<T> RunWithRetriesAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool checkpointedElsewhere, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunTransactionAsync(work, checkpointedElsewhere, cancellationToken);
            }
            catch (DbException exception) when (attempt < MaxAttempts && Classify(exception) == DbFailure.Conflict)
            {
                // The database rolled the transaction back; disposing the connection finished it here.
            }
        }
    }

    /// <summary>
    /// SQLite's own checkpoint threshold (pages in the write-ahead log), and the one of a bulk writer's commits while its
    /// other task checkpoints (<see cref="CheckpointAsync"/>): those commits copy the log into the database file only if
    /// that task falls 16 MB behind, where at SQLite's 4 MB they did about a third of the copying themselves.
    /// </summary>
    private const int AutoCheckpointPages = 1000, CheckpointedElsewherePages = 4000;

    private async Task<T> RunTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool checkpointedElsewhere, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (!checkpointedElsewhere || Dialect != SqlDialect.Sqlite)
            return await RunTransactionAsync(connection, work, cancellationToken);
        await SetAutoCheckpointAsync(connection, CheckpointedElsewherePages, cancellationToken);
        try
        {
            return await RunTransactionAsync(connection, work, cancellationToken);
        }
        finally
        {
            // The connection goes back to the pool as SQLite set it up.
            await SetAutoCheckpointAsync(connection, AutoCheckpointPages, CancellationToken.None);
        }
    }

    private static async Task SetAutoCheckpointAsync(DbConnection connection, int pages, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_autocheckpoint = {pages}";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T> RunTransactionAsync<T>(DbConnection connection, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var joined = new Ambient(connection, transaction);
        ambient.Value = joined;
        try
        {
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            joined.Open = false;
            ambient.Value = null;
        }
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken, bool checkpointedElsewhere = false) =>
        InTransactionAsync<bool>(async (connection, transaction) =>
        {
            await work(connection, transaction);
            return true;
        }, cancellationToken, checkpointedElsewhere);

    /// <summary>
    /// SQLite: copies the pages committed to the write-ahead log into the database file, on a connection of its own and
    /// without waiting for or holding up a writer (a passive checkpoint). SQLite otherwise makes the commit that fills
    /// the log copy them: a bulk writer's other task calls this between batches, so the writer's commits find little
    /// left to copy. SQL Server: nothing to do.
    /// </summary>
    public Task CheckpointAsync(CancellationToken cancellationToken) =>
        Dialect != SqlDialect.Sqlite
            ? Task.CompletedTask
            : WithConnectionAsync(async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);

    /// <summary>
    /// Reads in a transaction of their own, one view of what is committed. On SQLite it neither waits for the writer nor
    /// holds it up: it begins deferred (the provider does so for read-uncommitted, which without a shared cache still reads
    /// only what is committed), where a write transaction would wait for the file lock. SQL Server reads committed, waiting
    /// only for rows a writer has changed and not yet committed.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var isolation = Dialect == SqlDialect.Sqlite ? IsolationLevel.ReadUncommitted : IsolationLevel.ReadCommitted;
        await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
        var result = await work(transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Reads on a connection of their own. Writes go through <see cref="WriteAsync{T}"/>, so that SQLite's one writer queues them.</summary>
    public async Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }
}
