using System.Diagnostics;
using System.Globalization;
using Dapper;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using KudosRelay.Slack;
using KudosRelay.Teams;

namespace KudosRelay.Benchmarks;

/// <summary>
/// What the CSV import of the <c>csv</c> benchmark's file writes, with nothing else: the very rows the import stores for
/// that file (the same organisation of 40 agents in 8 teams, each item's agent, team, rating, redacted text and times,
/// the last week's praise marked as relayed in the import's summary, older praise counted in the week it arrived),
/// built before the clock starts and inserted in transactions of 2,000 rows (another task checkpointing each as the import's
/// reading task does) through one prepared statement per table on
/// the product's own SQLite setup (migrations, pragmas, heap tuning, and the same prepared-rows path the import writes
/// through); then the summary's 48 outbox messages (40 agents, 8 team channels) in one transaction. No parsing,
/// scoring, routing or rendering: the most an import can reach on this machine.
/// </summary>
internal static class SqliteWriteFloor
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var rows = args.Int("rows", 100_000);
        var folder = Directory.CreateTempSubdirectory("kudosrelay-bench-floor-");
        try
        {
            var db = DatabaseConnections.Create(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder.FullName, "floor.db")}");
            await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
            var organisation = await new ImportOrganisationHandler(db, TimeProvider.System, new OrgFileReader([new SlackIdFormat(), new TeamsIdFormat()]))
                .ImportAsync(CsvImportThroughput.Organisation(), CancellationToken.None);
            if (!organisation.Succeeded)
                throw new InvalidOperationException("the benchmark organisation did not import");
            var stored = await StoredRowsAsync(db, rows);

            var started = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var now = Timestamp(DateTime.UtcNow);
            // As the import does, another task checkpoints what was committed while the next batch is written.
            var checkpoint = Task.CompletedTask;
            foreach (var batch in stored.Chunk(2_000))
            {
                await db.InTransactionAsync((_, transaction) => WriteBatchAsync(db, transaction, batch, now), CancellationToken.None, checkpointedElsewhere: true);
                await checkpoint;
                checkpoint = Task.Run(() => db.CheckpointAsync(CancellationToken.None));
            }
            await checkpoint;
            await db.InTransactionAsync((_, transaction) => WriteSummaryAsync(db, transaction), CancellationToken.None);
            var seconds = started.Elapsed.TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            Console.WriteLine($"sqlite write floor: the writes of {rows:N0} imported rows in {seconds:F2} s = {rows / seconds:F0} rows/s; cpu {cpu:F2} s");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private const string SummaryKey = "summary:import:0123456789abcdef0123456789abcdef";

    private static string Timestamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>A stored item; praise has its <paramref name="Agent"/> and team, and its kudos count from now when relayed in the summary, else from when it arrived.</summary>
    private sealed record FeedbackRow(
        string ExternalId, string ReceivedAt, string AgentEmail, long? Agent, long? Team, int Csat, string Text, string Status, string? RelayedIn);

    private sealed record KudosRow(long FeedbackItemId, long Agent, long Team, string CreatedAt);

    /// <summary>
    /// The rows the import stores for the file, in its order: each item once (a resend or a broken row stores nothing), its
    /// text redacted as the import redacts it; praise with its agent and team.
    /// </summary>
    private static async Task<List<FeedbackRow>> StoredRowsAsync(Db db, int rows)
    {
        var (people, teams) = await db.WithConnectionAsync(async connection => (
            (await connection.QueryAsync<(string Email, long Id)>("SELECT email, id FROM people")).ToDictionary(row => row.Email, row => row.Id, StringComparer.OrdinalIgnoreCase),
            (await connection.QueryAsync<(string Key, long Id)>("SELECT team_key, id FROM teams")).ToDictionary(row => row.Key, row => row.Id)), CancellationToken.None);
        var relaySince = CsvImportThroughput.Now.AddDays(-7);
        var stored = new List<FeedbackRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var row = CsvImportThroughput.Generate(i, rows);
            if (row.Kind is CsvImportThroughput.SurveyRowKind.Resend or CsvImportThroughput.SurveyRowKind.Broken)
                continue;
            var praise = row.Kind == CsvImportThroughput.SurveyRowKind.Praise;
            var recent = row.ReceivedAt >= relaySince;
            stored.Add(new FeedbackRow(
                row.Id, Timestamp(row.ReceivedAt), row.AgentEmail, praise ? people[row.AgentEmail] : null, praise ? teams[$"team{row.Team}"] : null, row.Csat,
                Redactor.Redact(row.Text, CsvImportThroughput.SurveyRow.Customer, CustomerNaming.FirstName),
                praise ? "relayed" : "not-positive", praise && recent ? SummaryKey : null));
        }
        return stored;
    }

    private static async Task WriteBatchAsync(Db db, System.Data.Common.DbTransaction transaction, FeedbackRow[] feedback, string now)
    {
        var ids = await PreparedRows.InsertReturningIdsAsync(db, transaction, """
            INSERT INTO feedback_items (source, external_id, received_at, agent_email, agent_person_id, team_id, rating_scale, rating_value, score,
                customer_name, redacted_text, status, relayed_in, created_at, updated_at)
            VALUES ('survey', @ExternalId, @ReceivedAt, @AgentEmail, @Agent, @Team, 'csat5', @Csat, (@Csat - 1) / 4.0, 'Maria', @Text, @Status, @RelayedIn, @Now, @Now)
            ON CONFLICT (source, external_id) DO NOTHING RETURNING id
            """, feedback,
            [
                new("ExternalId", row => row.ExternalId), new("ReceivedAt", row => row.ReceivedAt), new("AgentEmail", row => row.AgentEmail),
                new("Agent", row => row.Agent), new("Team", row => row.Team), new("Csat", row => row.Csat), new("Text", row => row.Text),
                new("Status", row => row.Status), new("RelayedIn", row => row.RelayedIn), new("Now", _ => now),
            ], CancellationToken.None);
        var kudos = feedback.Select((row, index) => (row, index)).Where(pair => pair.row.Agent is not null)
            .Select(pair => new KudosRow(ids[pair.index]!.Value, pair.row.Agent!.Value, pair.row.Team!.Value, pair.row.RelayedIn is null ? pair.row.ReceivedAt : now))
            .ToList();
        // A kudos made from a feedback item stores no words of its own: they are the item's.
        await PreparedRows.ExecuteAsync(db, transaction, """
            INSERT INTO kudos (kind, feedback_item_id, recipient_person_id, team_id, text, cross_department, status, created_at)
            VALUES ('customer', @FeedbackItemId, @Agent, @Team, '', 0, 'relayed', @CreatedAt)
            """, kudos,
            [
                new("FeedbackItemId", row => row.FeedbackItemId), new("Agent", row => row.Agent), new("Team", row => row.Team), new("CreatedAt", row => row.CreatedAt),
            ], CancellationToken.None);
    }

    private sealed record SummaryRow(string Key, string Kind, string Address);

    /// <summary>The summary: a direct message per agent and a post per team channel, each with three quotes.</summary>
    private static Task<int> WriteSummaryAsync(Db db, System.Data.Common.DbTransaction transaction)
    {
        var now = Timestamp(DateTime.UtcNow);
        var rows = Enumerable.Range(0, CsvImportThroughput.Agents).Select(agent => new SummaryRow($"{SummaryKey}:dm:{agent}", "Person", $"UAGENT{agent}"))
            .Concat(Enumerable.Range(0, CsvImportThroughput.Teams).Select(team => new SummaryRow($"{SummaryKey}:team:{team}:slack", "Channel", $"CTEAM{team}")))
            .ToList();
        return PreparedRows.ExecuteAsync(db, transaction, """
            INSERT INTO outbox_messages (idempotency_key, platform, target_kind, target_address, body, status, next_attempt_at, created_at)
            VALUES (@Key, 'slack', @Kind, @Address, @Body, 'pending', @Now, @Now)
            ON CONFLICT (idempotency_key) DO NOTHING
            """, rows,
            [new("Key", row => row.Key), new("Kind", row => row.Kind), new("Address", row => row.Address), new("Body", _ => SummaryBody), new("Now", _ => now)],
            CancellationToken.None);
    }

    private const string SummaryQuote = "Great service from Agent 7. My parcel ORD-12345 was lost and they sorted out a replacement the same day, kept me informed by e-mail at [email] and called me on [phone]. Friendly, quick and clear. I will recommend you to my friends, thank you so much!";

    // A summary at its real shape and size (about 1,500 characters).
    private static readonly string SummaryBody =
        $$$"""{"summary":"Agent, 420 customers thanked you since Wednesday","blocks":[{"type":"heading","text":"420 customers thanked you since Wednesday"},{"type":"text","text":"In their own words:"},{"type":"quote","text":"{{{SummaryQuote}}}","attribution":"Maria"},{"type":"context","text":"★★★★★"},{"type":"quote","text":"{{{SummaryQuote}}}","attribution":"Maria"},{"type":"context","text":"★★★★☆"},{"type":"quote","text":"{{{SummaryQuote}}}","attribution":"Maria"},{"type":"context","text":"★★★★★"},{"type":"text","text":"417 more customers said thank you too."},{"type":"context","text":"Customer feedback relayed by KudosRelay in one message; Team 1 sees it too, and it counts towards the appreciation digest."}]}""";
}
