using System.Diagnostics;
using System.Globalization;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using KudosRelay.Slack;
using KudosRelay.Teams;

namespace KudosRelay.Benchmarks;

/// <summary>
/// What the CSV import of the <c>csv</c> benchmark's file writes, with nothing else: for each 100 rows, 90 feedback
/// items (98 in the first hundred, whose resends are new rows) of which 75 are praise with a kudos row — the last
/// week's marked as relayed in the import's summary, older ones counted in the week they arrived — inserted in
/// transactions of 2,000 rows through one prepared command per table on the product's own SQLite setup
/// (migrations, pragmas, heap tuning, and the same prepared-rows path the import writes through); then the summary's 48 outbox messages (40 agents, 8 team channels) in one
/// transaction. No parsing, scoring, routing or rendering: the most an import can reach on this machine.
/// </summary>
internal static class SqliteWriteFloor
{
    private const string Quote = "Great service from Agent 7. My parcel ORD-12345 was lost and they sorted out a replacement the same day, kept me informed by e-mail at [email] and called me on [phone]. Friendly, quick and clear. I will recommend you to my friends, thank you so much!";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var rows = args.Int("rows", 100_000);
        var folder = Directory.CreateTempSubdirectory("kudosrelay-bench-floor-");
        try
        {
            var db = DatabaseConnections.Create(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder.FullName, "floor.db")}");
            await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
            var organisation = await new ImportOrganisationHandler(db, TimeProvider.System, new OrgFileReader([new SlackIdFormat(), new TeamsIdFormat()])).ImportAsync(
                "people: [{ email: agent@example.com, name: Agent, slack: UAGENT }]\nteams: [{ key: care, name: Care, members: [agent@example.com], channels: { slack: CCARE } }]\n",
                CancellationToken.None);
            if (!organisation.Succeeded)
                throw new InvalidOperationException("the benchmark organisation did not import");

            var started = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            for (var first = 0; first < rows; first += 2_000)
            {
                var count = Math.Min(2_000, rows - first);
                await db.InTransactionAsync((_, transaction) => WriteBatchAsync(db, transaction, first, count, rows), CancellationToken.None);
            }
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

    private sealed record FeedbackRow(string ExternalId, string ReceivedAt, object? Agent, object? Team, string Status, string? RelayedIn, bool Positive, bool Recent);

    private sealed record KudosRow(long FeedbackItemId, string CreatedAt);

    private static async Task WriteBatchAsync(Db db, System.Data.Common.DbTransaction transaction, int first, int count, int rows)
    {
        var now = Timestamp(DateTime.UtcNow);
        var relaySince = CsvImportThroughput.Now.AddDays(-7);
        var feedback = new List<FeedbackRow>(count);
        for (var row = first; row < first + count; row++)
        {
            var slot = row % 100;
            if (slot >= 98 || (slot >= 90 && row >= 100))
                continue;   // resends and broken rows write nothing
            var positive = slot < 75;
            var receivedAt = CsvImportThroughput.ReceivedAt(CsvImportThroughput.Now, row, rows);
            var recent = receivedAt >= relaySince;
            feedback.Add(new FeedbackRow($"T{row}", Timestamp(receivedAt), positive ? 1L : null, positive ? 1L : null,
                positive ? "relayed" : "not-positive", positive && recent ? SummaryKey : null, positive, recent));
        }
        var ids = await PreparedRows.InsertReturningIdsAsync(db, transaction, """
            INSERT INTO feedback_items (source, external_id, received_at, agent_email, agent_person_id, team_id, rating_scale, rating_value, score,
                customer_name, redacted_text, status, relayed_in, created_at, updated_at)
            VALUES ('survey', @ExternalId, @ReceivedAt, 'agent@example.com', @Agent, @Team, 'csat5', 5, 1, 'Maria', @Text, @Status, @RelayedIn, @Now, @Now)
            ON CONFLICT (source, external_id) DO NOTHING RETURNING id
            """, feedback,
            [
                new("ExternalId", row => row.ExternalId), new("ReceivedAt", row => row.ReceivedAt), new("Agent", row => row.Agent), new("Team", row => row.Team),
                new("Text", _ => Quote), new("Status", row => row.Status), new("RelayedIn", row => row.RelayedIn), new("Now", _ => now),
            ], CancellationToken.None);
        var kudos = feedback.Select((row, index) => (row, index)).Where(pair => pair.row.Positive)
            .Select(pair => new KudosRow(ids[pair.index]!.Value, pair.row.Recent ? now : pair.row.ReceivedAt)).ToList();
        await PreparedRows.ExecuteAsync(db, transaction, """
            INSERT INTO kudos (kind, feedback_item_id, recipient_person_id, team_id, text, cross_department, status, created_at)
            VALUES ('customer', @FeedbackItemId, 1, 1, @Text, 0, 'relayed', @CreatedAt)
            """, kudos,
            [new("FeedbackItemId", row => row.FeedbackItemId), new("Text", _ => Quote), new("CreatedAt", row => row.CreatedAt)], CancellationToken.None);
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

    // A summary at its real shape and size (about 1,500 characters).
    private static readonly string SummaryBody =
        $$$"""{"summary":"Agent, 420 customers thanked you since Wednesday","blocks":[{"type":"heading","text":"420 customers thanked you since Wednesday"},{"type":"text","text":"In their own words:"},{"type":"quote","text":"{{{Quote}}}","attribution":"Maria"},{"type":"context","text":"★★★★★"},{"type":"quote","text":"{{{Quote}}}","attribution":"Maria"},{"type":"context","text":"★★★★☆"},{"type":"quote","text":"{{{Quote}}}","attribution":"Maria"},{"type":"context","text":"★★★★★"},{"type":"text","text":"417 more customers said thank you too."},{"type":"context","text":"Customer feedback relayed by KudosRelay in one message; Team 1 sees it too, and it counts towards the appreciation digest."}]}""";
}
