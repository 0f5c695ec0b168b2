using KudosRelay.Core.Storage;
using KudosRelay.Data;

namespace KudosRelay.Host.Storage;

/// <summary>The <c>Database:*</c> configuration section.</summary>
internal sealed class DatabaseOptions : ISelfCheckingOptions
{
    public const string Section = "Database";

    public string Provider { get; set; } = nameof(SqlDialect.Sqlite);

    public string? ConnectionString { get; set; }

    /// <summary>Defaults to true for SQLite and false for SQL Server, where schema changes are usually a deliberate step.</summary>
    public bool? MigrateOnStart { get; set; }

    public SqlDialect Dialect => Enum.Parse<SqlDialect>(Provider, ignoreCase: true);

    public string EffectiveConnectionString => ConnectionString is { Length: > 0 } value
        ? value
        : DatabaseConnections.DefaultSqliteConnectionString;

    public bool ShouldMigrateOnStart => MigrateOnStart ?? Dialect == SqlDialect.Sqlite;

    public IEnumerable<string> Problems()
    {
        if (!Enum.TryParse<SqlDialect>(Provider, ignoreCase: true, out var dialect) || !Enum.IsDefined(dialect))
        {
            yield return $"Database:Provider must be 'Sqlite' or 'SqlServer', not '{Provider}'.";
            yield break;
        }
        if (dialect == SqlDialect.SqlServer && string.IsNullOrWhiteSpace(ConnectionString))
            yield return "Database:ConnectionString is required when Database:Provider is 'SqlServer'.";
        if (ConnectionString is { Length: > 0 } && !IsWellFormed(dialect, ConnectionString))
            yield return $"Database:ConnectionString is not a valid {dialect} connection string.";
    }

    private static bool IsWellFormed(SqlDialect dialect, string connectionString)
    {
        try
        {
            _ = DatabaseConnections.Describe(dialect, connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
