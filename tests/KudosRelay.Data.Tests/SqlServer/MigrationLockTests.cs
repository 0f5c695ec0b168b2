using KudosRelay.Core.Storage;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Data.Tests.SqlServer;

public sealed class MigrationLockTests
{
    [Fact]
    public async Task The_migrator_takes_the_application_lock_before_its_first_statement_and_releases_it_last()
    {
        var sent = new List<RecordedCommand>();
        var migrator = new Migrator(RecordingDb.Create(SqlDialect.SqlServer, sent, LockAnswers(0)), new ManualClock());

        await migrator.ApplyAsync(CancellationToken.None);

        Assert.Contains("sp_getapplock", sent[0].Text, StringComparison.Ordinal);
        Assert.Contains("sp_releaseapplock", sent[^1].Text, StringComparison.Ordinal);
        Assert.True(sent.Count > 2);
    }

    [Fact]
    public async Task The_lock_waits_less_than_its_command_may_run()
    {
        var sent = new List<RecordedCommand>();
        var migrator = new Migrator(RecordingDb.Create(SqlDialect.SqlServer, sent, LockAnswers(0)), new ManualClock());

        await migrator.ApplyAsync(CancellationToken.None);

        var waitMs = Assert.IsType<int>(sent[0].Parameters.Single(parameter => parameter.Name == "LockTimeoutMs").Value);
        Assert.InRange(waitMs, 1, (sent[0].TimeoutSeconds * 1000) - 1);
    }

    [Theory]
    [InlineData(-1, "held the lock")]
    [InlineData(-3, "deadlock victim")]
    [InlineData(-999, "result -999")]
    public async Task A_refused_lock_stops_the_migrator_with_a_clear_error_before_any_other_statement(int result, string says)
    {
        var sent = new List<RecordedCommand>();
        var migrator = new Migrator(RecordingDb.Create(SqlDialect.SqlServer, sent, LockAnswers(result)), new ManualClock());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.ApplyAsync(CancellationToken.None));

        Assert.Contains("migrations not applied", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Single(sent);
    }

    private static Func<string, object?> LockAnswers(int result) => sql => sql.Contains("sp_getapplock", StringComparison.Ordinal) ? result : null;
}
