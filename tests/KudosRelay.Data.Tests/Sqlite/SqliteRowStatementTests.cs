using Dapper;
using KudosRelay.Core.Storage;
using KudosRelay.Data.Sqlite;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Data.Tests.Sqlite;

/// <summary>Rows written by SQLite's own statement (PreparedRows on SQLite) are stored exactly as the provider stores them.</summary>
public sealed class SqliteRowStatementTests : IAsyncLifetime
{
    private sealed record Row(string Key, string? Words, string Other, long Count, int Small, double Score, bool Flag, DateTime At, long? Missing);

    private static readonly RowParameter<Row>[] Parameters =
    [
        new("Key", row => row.Key), new("Words", row => row.Words), new("Other", row => row.Other), new("Count", row => row.Count),
        new("Small", row => row.Small), new("Score", row => row.Score), new("Flag", row => row.Flag), new("At", row => row.At), new("Missing", row => row.Missing),
    ];

    private const string Insert = """
        INSERT INTO sample (k, words, other, count, small, score, flag, at, missing)
        VALUES (@Key, @Words, @Other, @Count, @Small, @Score, @Flag, @At, @Missing)
        ON CONFLICT (k) DO NOTHING RETURNING id
        """;

    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);
        await database.Db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
            "CREATE TABLE sample (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, words TEXT NULL, other TEXT NOT NULL, count INTEGER, small INTEGER, score REAL, flag INTEGER, at TEXT, missing INTEGER NULL)",
            transaction: transaction), CancellationToken.None);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task Every_kind_of_value_is_stored_as_the_provider_stores_it()
    {
        var at = new DateTime(2026, 11, 23, 9, 5, 7, 123, DateTimeKind.Utc).AddTicks(4567);
        var row = new Row("statement", "Благодаря, Мария! Ünïcödé ✓", "second text", 1L << 40, -7, 4.25, true, at, null);

        await database.Db.InTransactionAsync((_, transaction) =>
            PreparedRows.ExecuteAsync(database.Db, transaction, Insert, [row], Parameters, CancellationToken.None), CancellationToken.None);
        await database.Db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(Insert, row with { Key = "provider" }, transaction), CancellationToken.None);

        var stored = (await ReadAsync()).ToDictionary(stored => stored.Split('|')[0]);
        Assert.Equal(stored["provider"][("provider".Length)..], stored["statement"][("statement".Length)..]);
        Assert.Equal("statement|text:Благодаря, Мария! Ünïcödé ✓|text:second text|integer:1099511627776|integer:-7|real:4.25|integer:1|text:2026-11-23 09:05:07.1234567|null:",
            stored["statement"]);
    }

    [Fact]
    public async Task Timestamps_of_every_shape_are_written_as_the_provider_writes_them()
    {
        var random = new Random(7);
        DateTime[] shapes = [DateTime.MinValue, new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999), new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc),
            new DateTime(2026, 3, 29, 1, 0, 0, 500, DateTimeKind.Utc), new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc).AddTicks(10)];
        var moments = shapes.Concat(Enumerable.Range(0, 200).Select(_ => new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Utc))).ToList();
        var rows = moments.Select((at, index) => new Row($"t{index}", null, "x", 0, 0, 0, false, at, null)).ToList();

        await database.Db.InTransactionAsync((_, transaction) =>
            PreparedRows.ExecuteAsync(database.Db, transaction, Insert, rows, Parameters, CancellationToken.None), CancellationToken.None);

        var stored = await database.Db.WithConnectionAsync(connection => connection.QueryAsync<string>("SELECT at FROM sample ORDER BY id"), CancellationToken.None);
        Assert.Equal(moments.Select(at => at.ToString(SqliteRowStatement.TimestampFormat, System.Globalization.CultureInfo.InvariantCulture)), stored);
    }

    [Fact]
    public async Task Texts_of_many_rows_and_columns_stay_their_own_and_a_long_one_is_whole()
    {
        var rows = Enumerable.Range(0, 50).Select(index => new Row($"k{index}", new string((char)('a' + index % 26), 1 + index * 97), $"other {index}", index, index, index, index % 2 == 0, DateTime.UnixEpoch, index)).ToList();

        var ids = await database.Db.InTransactionAsync((_, transaction) =>
            PreparedRows.InsertReturningIdsAsync(database.Db, transaction, Insert, rows, Parameters, CancellationToken.None), CancellationToken.None);

        Assert.Equal(50, ids.Distinct().Count(id => id is not null));
        var stored = await database.Db.WithConnectionAsync(connection => connection.QueryAsync<(string K, string Words, string Other)>("SELECT k, words, other FROM sample ORDER BY id"), CancellationToken.None);
        Assert.Equal(rows.Select(row => (row.Key, row.Words!, row.Other)), stored);
    }

    [Fact]
    public async Task A_row_a_unique_key_refuses_is_skipped_and_the_rest_are_written()
    {
        var first = new Row("same", "a", "b", 1, 1, 1, false, DateTime.UnixEpoch, null);
        const string PlainInsert = "INSERT INTO sample (k, words, other, count, small, score, flag, at, missing) VALUES (@Key, @Words, @Other, @Count, @Small, @Score, @Flag, @At, @Missing)";

        var written = await database.Db.InTransactionAsync((_, transaction) => PreparedRows.ExecuteAsync(database.Db, transaction, PlainInsert,
            [first, first with { Words = "again" }, first with { Key = "other" }], Parameters, CancellationToken.None, database.Db.IsDuplicateKey), CancellationToken.None);
        var ids = await database.Db.InTransactionAsync((_, transaction) =>
            PreparedRows.InsertReturningIdsAsync(database.Db, transaction, Insert, [first, first with { Key = "third" }], Parameters, CancellationToken.None), CancellationToken.None);

        Assert.Equal(2, written);
        Assert.Null(ids[0]);
        Assert.NotNull(ids[1]);
        Assert.Equal(["same|text:a", "other|text:a", "third|text:a"], (await ReadAsync()).Select(stored => string.Join('|', stored.Split('|')[..2])));
    }

    private Task<IEnumerable<string>> ReadAsync() =>
        database.Db.WithConnectionAsync(connection => connection.QueryAsync<string>("""
            SELECT k || '|' || typeof(words) || ':' || coalesce(words, '') || '|' || typeof(other) || ':' || other || '|' || typeof(count) || ':' || count
                || '|' || typeof(small) || ':' || small || '|' || typeof(score) || ':' || score || '|' || typeof(flag) || ':' || flag
                || '|' || typeof(at) || ':' || at || '|' || typeof(missing) || ':' || coalesce(missing, '')
            FROM sample ORDER BY id
            """), CancellationToken.None);
}
