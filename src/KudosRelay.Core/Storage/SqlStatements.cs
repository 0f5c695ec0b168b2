namespace KudosRelay.Core.Storage;

/// <summary>
/// The statements every store needs and each dialect spells differently. Table, column and
/// value lists are constants of the calling store, never input; values are always parameters.
/// </summary>
internal static class SqlStatements
{
    /// <summary>An INSERT whose result is the new row's id.</summary>
    public static string InsertReturningId(this SqlDialect dialect, string table, string columns, string values) => dialect switch
    {
        SqlDialect.Sqlite => $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id",
        SqlDialect.SqlServer => $"INSERT INTO {table} ({columns}) OUTPUT inserted.id VALUES ({values})",
        _ => throw new NotSupportedException(dialect.ToString()),
    };

    /// <summary>
    /// An INSERT that does nothing when a row with the same unique key exists; its row count says which.
    /// <paramref name="keyColumns"/> and <paramref name="keyMatch"/> are as for <see cref="InsertUnlessExistsReturningId"/>.
    /// </summary>
    public static string InsertUnlessExists(this SqlDialect dialect, string table, string columns, string values, string keyColumns, string keyMatch) => dialect switch
    {
        SqlDialect.Sqlite => $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({keyColumns}) DO NOTHING",
        SqlDialect.SqlServer => $"""
            INSERT INTO {table} ({columns})
            SELECT {values}
            WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {keyMatch})
            """,
        _ => throw new NotSupportedException(dialect.ToString()),
    };

    /// <summary>
    /// An INSERT that does nothing when a row with the same unique key exists: the result is the new id,
    /// or no row. <paramref name="keyColumns"/> names the unique key; <paramref name="keyMatch"/> is the
    /// same key as a condition on the parameters (e.g. <c>source = @Source AND external_id = @ExternalId</c>).
    /// </summary>
    public static string InsertUnlessExistsReturningId(this SqlDialect dialect, string table, string columns, string values, string keyColumns, string keyMatch) => dialect switch
    {
        SqlDialect.Sqlite => $"""
            INSERT INTO {table} ({columns}) VALUES ({values})
            ON CONFLICT ({keyColumns}) DO NOTHING
            RETURNING id
            """,
        // UPDLOCK, HOLDLOCK takes a key-range lock, so a racing insert of the same key waits for this one and then sees its row.
        SqlDialect.SqlServer => $"""
            INSERT INTO {table} ({columns})
            OUTPUT inserted.id
            SELECT {values}
            WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {keyMatch})
            """,
        _ => throw new NotSupportedException(dialect.ToString()),
    };

    /// <summary>
    /// How a SELECT keeps its first <c>@Limit</c> rows: <c>Top</c> goes right after SELECT, <c>Limit</c> at the end of the
    /// statement; each is empty where the dialect spells it the other way.
    /// </summary>
    public static (string Top, string Limit) RowLimit(this SqlDialect dialect) => dialect switch
    {
        SqlDialect.Sqlite => ("", " LIMIT @Limit"),
        SqlDialect.SqlServer => ("TOP (@Limit) ", ""),
        _ => throw new NotSupportedException(dialect.ToString()),
    };
}
