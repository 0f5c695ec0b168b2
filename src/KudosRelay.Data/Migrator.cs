using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Data;

/// <summary>One numbered <c>.sql</c> file embedded per dialect, e.g. <c>0001_initial.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql);

public sealed record MigrationStatus(IReadOnlyList<Migration> Applied, IReadOnlyList<Migration> Pending)
{
    public bool IsCurrent => Pending.Count == 0;
}

/// <summary>
/// Applies the embedded migrations of one dialect in order, each in its own transaction together
/// with its row in <c>schema_migrations</c>. Safe to run from several processes at once.
/// </summary>
public sealed partial class Migrator(Db db, TimeProvider clock)
{
    public static IReadOnlyList<Migration> For(SqlDialect dialect)
    {
        var prefix = dialect + ".";
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name, name[prefix.Length..^".sql".Length]))
            .OrderBy(migration => migration.Version)
            .ToList();
    }

    private static Migration Load(Assembly assembly, string resource, string fileName)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
            throw new InvalidOperationException($"migration '{fileName}.sql' must be named NNNN_description.sql");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), fileName, reader.ReadToEnd());
    }

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var all = For(db.Dialect);
        await using var connection = await db.OpenAsync(cancellationToken);
        var applied = await AppliedVersionsAsync(connection, null, cancellationToken);
        return new MigrationStatus(
            all.Where(m => applied.Contains(m.Version)).ToList(),
            all.Where(m => !applied.Contains(m.Version)).ToList());
    }

    /// <summary>Applies what is pending and returns the migrations this call applied.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken cancellationToken)
    {
        var appliedNow = new List<Migration>();
        await using var connection = await db.OpenAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);
        try
        {
            await PrepareDatabaseAsync(connection, cancellationToken);
            // One look at the journal first: a current database (every start) costs one query, not a transaction per migration.
            var appliedBefore = await AppliedVersionsAsync(connection, null, cancellationToken);
            foreach (var migration in For(db.Dialect).Where(migration => !appliedBefore.Contains(migration.Version)))
            {
                if (await ApplyOneAsync(connection, migration, cancellationToken))
                    appliedNow.Add(migration);
            }
        }
        finally
        {
            await UnlockAsync(connection);
        }
        return appliedNow;
    }

    private async Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = db.Dialect switch
        {
            // WAL lets the dispatcher read while a request writes; the setting persists in the file.
            SqlDialect.Sqlite => """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                );
                """,
            SqlDialect.SqlServer => """
                IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
                CREATE TABLE dbo.schema_migrations (
                    version    INT           NOT NULL PRIMARY KEY,
                    name       NVARCHAR(200) NOT NULL,
                    applied_at DATETIME2(3)  NOT NULL
                );
                """,
            _ => throw new NotSupportedException(db.Dialect.ToString()),
        };
        await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    private async Task<bool> ApplyOneAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var applied = await AppliedVersionsAsync(connection, transaction, cancellationToken);
        if (applied.Contains(migration.Version))
            return false;

        foreach (var batch in SplitBatches(migration.Sql))
            await connection.ExecuteAsync(new CommandDefinition(batch, transaction: transaction, cancellationToken: cancellationToken));

        const string Journal = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";
        await connection.ExecuteAsync(new CommandDefinition(Journal,
            new { migration.Version, migration.Name, AppliedAt = clock.GetUtcNow().UtcDateTime },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>How long a migrator waits for another one to finish; its command may run a little longer, so a wait ends as a refusal, not a command timeout.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    private static readonly int LockCommandTimeoutSeconds = (int)(LockWait + TimeSpan.FromSeconds(30)).TotalSeconds;

    /// <summary>
    /// Takes SQL Server's application lock for this session before the migrator's first statement, so two
    /// instances starting together migrate one after the other. SQLite transactions here begin IMMEDIATE,
    /// which already serialises writers.
    /// </summary>
    private async Task LockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (db.Dialect != SqlDialect.SqlServer)
            return;
        const string Lock = """
            DECLARE @result int;
            EXEC @result = sys.sp_getapplock @Resource = N'kudosrelay_migrations', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = @LockTimeoutMs;
            SELECT @result;
            """;
        var result = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            Lock, new { LockTimeoutMs = (int)LockWait.TotalMilliseconds }, commandTimeout: LockCommandTimeoutSeconds, cancellationToken: cancellationToken));
        // sp_getapplock: 0 granted, 1 granted after waiting; negative is a refusal.
        if (result is not (0 or 1))
            throw new InvalidOperationException(result switch
            {
                -1 => $"migrations not applied: another migrator held the lock 'kudosrelay_migrations' for more than {LockWait.TotalSeconds:0} s; try again when it has finished",
                -2 => "migrations not applied: the request for the lock 'kudosrelay_migrations' was cancelled",
                -3 => "migrations not applied: the request for the lock 'kudosrelay_migrations' was chosen as a deadlock victim; try again",
                _ => $"migrations not applied: sp_getapplock refused the lock 'kudosrelay_migrations' (result {result?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})",
            });
    }

    private async Task UnlockAsync(DbConnection connection)
    {
        // A connection that broke took its session, and the lock, with it.
        if (db.Dialect != SqlDialect.SqlServer || connection.State != System.Data.ConnectionState.Open)
            return;
        // Released even when the caller's token was cancelled: the connection goes back to the pool.
        const string Unlock = "EXEC sys.sp_releaseapplock @Resource = N'kudosrelay_migrations', @LockOwner = N'Session'";
        await connection.ExecuteAsync(new CommandDefinition(Unlock, cancellationToken: CancellationToken.None));
    }

    private async Task<HashSet<int>> AppliedVersionsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var exists = db.Dialect switch
        {
            SqlDialect.Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
            _ => "SELECT COUNT(*) FROM sys.tables WHERE name = 'schema_migrations'",
        };
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(exists, transaction: transaction, cancellationToken: cancellationToken)) == 0)
            return [];
        var versions = await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken));
        return versions.ToHashSet();
    }

    private static IEnumerable<string> SplitBatches(string sql) =>
        BatchSeparator().Split(sql).Where(batch => !string.IsNullOrWhiteSpace(batch));

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex BatchSeparator();
}
