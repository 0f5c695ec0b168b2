using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using KudosRelay.Core.Storage;

namespace KudosRelay.Data.Tests.SqlServer;

/// <summary>A <see cref="Db"/> whose connections record what they are sent.</summary>
internal static class RecordingDb
{
    /// <summary>
    /// Registers the product's Dapper setup first, as the host does by creating its Db: Dapper caches how it
    /// binds each statement's parameters, so a statement sent before the setup would keep the old binding.
    /// </summary>
    public static Db Create(SqlDialect dialect, List<RecordedCommand> sent, Func<string, object?>? scalar = null)
    {
        DatabaseConnections.Create(SqlDialect.SqlServer, "Server=recording");
        return new Db(dialect, () => new RecordingConnection(sent, scalar));
    }
}

/// <summary>A command as it was sent: its text, its timeout in seconds, and its parameters' names, types and values.</summary>
internal sealed record RecordedCommand(string Text, int TimeoutSeconds, IReadOnlyList<(string Name, DbType Type, object? Value)> Parameters);

/// <summary>
/// A connection that runs nothing: it keeps the text of every command it is given and answers as a
/// database with no rows would (one row affected, no rows read, no scalar unless <paramref name="scalar"/>
/// answers one). Stores run against it with the SQL Server dialect show the statements they would send,
/// as assembled at run time.
/// </summary>
internal sealed class RecordingConnection(List<RecordedCommand> sent, Func<string, object?>? scalar = null) : DbConnection
{
    private ConnectionState state = ConnectionState.Closed;

    [AllowNull]
    public override string ConnectionString { get; set; } = "";

    public override string Database => "recording";

    public override string DataSource => "recording";

    public override string ServerVersion => "16.0";

    public override ConnectionState State => state;

    public override void ChangeDatabase(string databaseName)
    {
    }

    public override void Close() => state = ConnectionState.Closed;

    public override void Open() => state = ConnectionState.Open;

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new RecordingTransaction(this, isolationLevel);

    protected override DbCommand CreateDbCommand() => new RecordingCommand(this, sent, scalar);
}

internal sealed class RecordingTransaction(RecordingConnection connection, IsolationLevel isolationLevel) : DbTransaction
{
    public override IsolationLevel IsolationLevel => isolationLevel;

    protected override DbConnection DbConnection => connection;

    public override void Commit()
    {
    }

    public override void Rollback()
    {
    }
}

internal sealed class RecordingCommand(RecordingConnection connection, List<RecordedCommand> sent, Func<string, object?>? scalar) : DbCommand
{
    private readonly RecordingParameters parameters = new();

    [AllowNull]
    public override string CommandText { get; set; } = "";

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType { get; set; } = CommandType.Text;

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection { get; set; } = connection;

    protected override DbParameterCollection DbParameterCollection => parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel()
    {
    }

    public override int ExecuteNonQuery()
    {
        Record();
        return 1;
    }

    public override object? ExecuteScalar()
    {
        Record();
        return scalar?.Invoke(CommandText);
    }

    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => new RecordingParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        Record();
        return new EmptyReader();
    }

    private void Record()
    {
        var recorded = new RecordedCommand(CommandText, CommandTimeout, parameters.Cast<DbParameter>().Select(parameter => (parameter.ParameterName, parameter.DbType, parameter.Value)).ToList());
        lock (sent)
            sent.Add(recorded);
    }
}

internal sealed class RecordingParameter : DbParameter
{
    public override DbType DbType { get; set; }

    public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;

    public override bool IsNullable { get; set; }

    [AllowNull]
    public override string ParameterName { get; set; } = "";

    public override int Size { get; set; }

    [AllowNull]
    public override string SourceColumn { get; set; } = "";

    public override bool SourceColumnNullMapping { get; set; }

    public override object? Value { get; set; }

    public override void ResetDbType() => DbType = DbType.String;
}

internal sealed class RecordingParameters : DbParameterCollection
{
    private readonly List<DbParameter> items = [];

    public override int Count => items.Count;

    public override object SyncRoot => items;

    public override int Add(object value)
    {
        items.Add((DbParameter)value);
        return items.Count - 1;
    }

    public override void AddRange(Array values)
    {
        foreach (var value in values)
            Add(value);
    }

    public override void Clear() => items.Clear();

    public override bool Contains(object value) => items.Contains((DbParameter)value);

    public override bool Contains(string value) => IndexOf(value) >= 0;

    public override void CopyTo(Array array, int index) => ((ICollection)items).CopyTo(array, index);

    public override IEnumerator GetEnumerator() => items.GetEnumerator();

    public override int IndexOf(object value) => items.IndexOf((DbParameter)value);

    public override int IndexOf(string parameterName) => items.FindIndex(item => item.ParameterName == parameterName);

    public override void Insert(int index, object value) => items.Insert(index, (DbParameter)value);

    public override void Remove(object value) => items.Remove((DbParameter)value);

    public override void RemoveAt(int index) => items.RemoveAt(index);

    public override void RemoveAt(string parameterName) => items.RemoveAt(IndexOf(parameterName));

    protected override DbParameter GetParameter(int index) => items[index];

    protected override DbParameter GetParameter(string parameterName) => items[IndexOf(parameterName)];

    protected override void SetParameter(int index, DbParameter value) => items[index] = value;

    protected override void SetParameter(string parameterName, DbParameter value) => items[IndexOf(parameterName)] = value;
}

internal sealed class EmptyReader : DbDataReader
{
    public override int Depth => 0;

    public override int FieldCount => 0;

    public override bool HasRows => false;

    public override bool IsClosed => false;

    public override int RecordsAffected => 0;

    public override object this[int ordinal] => throw new InvalidOperationException("no rows");

    public override object this[string name] => throw new InvalidOperationException("no rows");

    public override bool GetBoolean(int ordinal) => throw new InvalidOperationException("no rows");

    public override byte GetByte(int ordinal) => throw new InvalidOperationException("no rows");

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new InvalidOperationException("no rows");

    public override char GetChar(int ordinal) => throw new InvalidOperationException("no rows");

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new InvalidOperationException("no rows");

    public override string GetDataTypeName(int ordinal) => throw new InvalidOperationException("no rows");

    public override DateTime GetDateTime(int ordinal) => throw new InvalidOperationException("no rows");

    public override decimal GetDecimal(int ordinal) => throw new InvalidOperationException("no rows");

    public override double GetDouble(int ordinal) => throw new InvalidOperationException("no rows");

    public override IEnumerator GetEnumerator() => Array.Empty<object>().GetEnumerator();

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type GetFieldType(int ordinal) => throw new InvalidOperationException("no rows");

    public override float GetFloat(int ordinal) => throw new InvalidOperationException("no rows");

    public override Guid GetGuid(int ordinal) => throw new InvalidOperationException("no rows");

    public override short GetInt16(int ordinal) => throw new InvalidOperationException("no rows");

    public override int GetInt32(int ordinal) => throw new InvalidOperationException("no rows");

    public override long GetInt64(int ordinal) => throw new InvalidOperationException("no rows");

    public override string GetName(int ordinal) => throw new InvalidOperationException("no rows");

    public override int GetOrdinal(string name) => throw new InvalidOperationException("no rows");

    public override string GetString(int ordinal) => throw new InvalidOperationException("no rows");

    public override object GetValue(int ordinal) => throw new InvalidOperationException("no rows");

    public override int GetValues(object[] values) => 0;

    public override bool IsDBNull(int ordinal) => throw new InvalidOperationException("no rows");

    public override bool NextResult() => false;

    public override bool Read() => false;
}
