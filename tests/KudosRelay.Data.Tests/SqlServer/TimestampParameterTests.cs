using System.Data;
using Dapper;
using KudosRelay.Core.Storage;
using Xunit;

namespace KudosRelay.Data.Tests.SqlServer;

/// <summary>Timestamps reach SQL Server as datetime2 on every write path, so they round alike and 1700 is not out of range on one path only.</summary>
public sealed class TimestampParameterTests
{
    private static readonly DateTime Moment = new(2026, 11, 23, 9, 0, 0, 123, DateTimeKind.Utc);

    [Fact]
    public async Task Dapper_sends_a_timestamp_and_a_nullable_one_as_datetime2_even_when_null()
    {
        var sent = new List<RecordedCommand>();
        var db = RecordingDb.Create(SqlDialect.SqlServer, sent);
        await using var connection = await db.OpenAsync(CancellationToken.None);

        await connection.ExecuteAsync("UPDATE t SET a = @At, b = @Maybe, c = @Missing", new { At = Moment, Maybe = (DateTime?)Moment, Missing = (DateTime?)null });

        Assert.Equal([DbType.DateTime2, DbType.DateTime2, DbType.DateTime2], sent.Single().Parameters.Select(parameter => parameter.Type));
    }

    [Fact]
    public async Task Every_timestamp_a_store_sends_on_either_write_path_is_a_datetime2()
    {
        var sent = await StoreExerciser.RunEveryStoreAsync(SqlDialect.SqlServer, [typeof(Db).Assembly, typeof(Migrator).Assembly]);

        var timestamps = sent.SelectMany(store => store.Value.SelectMany(command => command.Parameters
            .Where(parameter => parameter.Value is DateTime)
            .Select(parameter => (Store: store.Key.Name, parameter.Name, parameter.Type)))).ToList();

        // Dapper names a parameter without the @, the prepared batch path (PreparedRows) with it.
        Assert.Contains(timestamps, parameter => parameter.Store == "FeedbackStore" && parameter.Name == "ReceivedAt");
        Assert.Contains(timestamps, parameter => parameter.Store == "FeedbackStore" && parameter.Name == "@ReceivedAt");
        Assert.All(timestamps, parameter => Assert.True(parameter.Type == DbType.DateTime2, $"{parameter.Store} sends {parameter.Name} as {parameter.Type}"));
    }
}
