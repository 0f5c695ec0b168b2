using System.Data.Common;
using System.Text;
using KudosRelay.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KudosRelay.Data.Sqlite;

/// <summary>
/// A row statement on SQLite's own prepared statement, bound by position. Through the provider, each row built a binder
/// per parameter, looked every parameter up by name and converted each name to UTF-8 again: a third of a bulk write's
/// time and most of its garbage. Values are stored exactly as the provider stores them (timestamps as
/// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> text, booleans as 0 or 1), so rows written either way read and compare alike.
/// </summary>
internal sealed class SqliteRowStatement : IRowStatement
{
    /// <summary>How the provider writes a timestamp.</summary>
    internal const string TimestampFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    private readonly sqlite3 connection;
    private readonly sqlite3_stmt statement;
    private readonly int[] positions;
    private byte[] utf8 = new byte[1024];

    private SqliteRowStatement(sqlite3 connection, sqlite3_stmt statement, int[] positions)
    {
        this.connection = connection;
        this.statement = statement;
        this.positions = positions;
    }

    public static IRowStatement Prepare(DbTransaction transaction, string sql, IReadOnlyList<string> parameterNames)
    {
        var connection = ((SqliteConnection)transaction.Connection!).Handle!;
        var code = raw.sqlite3_prepare_v2(connection, sql, out var statement, out var rest);
        if (code != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(code, connection);
        if (!string.IsNullOrWhiteSpace(rest))
        {
            statement.Dispose();
            throw new ArgumentException("a row statement is one statement", nameof(sql));
        }
        // A name the statement does not use has position 0 and is not bound, as the provider leaves it.
        return new SqliteRowStatement(connection, statement, [.. parameterNames.Select(name => raw.sqlite3_bind_parameter_index(statement, "@" + name))]);
    }

    public ValueTask<int> ExecuteAsync(object?[] values, CancellationToken cancellationToken)
    {
        Run(values, readId: false);
        return ValueTask.FromResult(raw.sqlite3_changes(connection));
    }

    public ValueTask<long?> InsertReturningIdAsync(object?[] values, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Run(values, readId: true));

    private long? Run(object?[] values, bool readId)
    {
        try
        {
            for (var index = 0; index < positions.Length; index++)
                if (positions[index] > 0)
                    Bind(positions[index], values[index]);
            long? id = null;
            var code = raw.sqlite3_step(statement);
            while (code == raw.SQLITE_ROW)
            {
                if (readId && id is null)
                    id = raw.sqlite3_column_int64(statement, 0);
                code = raw.sqlite3_step(statement);
            }
            if (code != raw.SQLITE_DONE)
                SqliteException.ThrowExceptionForRC(code, connection);
            return id;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void Bind(int position, object? value)
    {
        var code = value switch
        {
            null => raw.sqlite3_bind_null(statement, position),
            string text => raw.sqlite3_bind_text(statement, position, Utf8(text)),
            long number => raw.sqlite3_bind_int64(statement, position, number),
            int number => raw.sqlite3_bind_int64(statement, position, number),
            bool flag => raw.sqlite3_bind_int64(statement, position, flag ? 1 : 0),
            double number => raw.sqlite3_bind_double(statement, position, number),
            DateTime timestamp => raw.sqlite3_bind_text(statement, position, Utf8(timestamp)),
            _ => throw new NotSupportedException($"a row statement cannot bind a {value.GetType().Name}"),
        };
        if (code != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(code, connection);
    }

    // SQLite copies bound text (SQLITE_TRANSIENT), so one buffer serves every value.
    private ReadOnlySpan<byte> Utf8(string text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (utf8.Length < length)
            utf8 = new byte[Math.Max(length, utf8.Length * 2)];
        return utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8));
    }

    /// <summary>As <see cref="TimestampFormat"/> writes it (trailing zeros of the fraction dropped), digit by digit: the general formatter cost more than the insert.</summary>
    private ReadOnlySpan<byte> Utf8(DateTime timestamp)
    {
        var text = utf8.AsSpan();
        Digits(text, 0, timestamp.Year, 4);
        text[4] = (byte)'-';
        Digits(text, 5, timestamp.Month, 2);
        text[7] = (byte)'-';
        Digits(text, 8, timestamp.Day, 2);
        text[10] = (byte)' ';
        Digits(text, 11, timestamp.Hour, 2);
        text[13] = (byte)':';
        Digits(text, 14, timestamp.Minute, 2);
        text[16] = (byte)':';
        Digits(text, 17, timestamp.Second, 2);
        var fraction = (int)(timestamp.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
            return text[..19];
        text[19] = (byte)'.';
        Digits(text, 20, fraction, 7);
        var length = 27;
        while (text[length - 1] == '0')
            length--;
        return text[..length];
    }

    private static void Digits(Span<byte> text, int at, int number, int count)
    {
        for (var index = at + count - 1; index >= at; index--, number /= 10)
            text[index] = (byte)('0' + number % 10);
    }

    public ValueTask DisposeAsync()
    {
        statement.Dispose();
        return ValueTask.CompletedTask;
    }
}
