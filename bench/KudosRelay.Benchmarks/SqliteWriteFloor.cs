using System.Diagnostics;
using System.Globalization;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using KudosRelay.Slack;
using KudosRelay.Teams;

namespace KudosRelay.Benchmarks;

/// <summary>
/// What the CSV import writes, with nothing else: for each 100 rows, 92 feedback items of which 75 carry
/// a kudos row and two outbox messages of the import's real sizes, inserted in transactions of 2,000 rows
/// through one prepared command per table on the product's own SQLite setup (migrations, pragmas, heap
/// tuning). No parsing, scoring, routing or rendering: the most an import can reach on this machine.
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
                await db.InTransactionAsync((connection, transaction) => WriteBatchAsync(connection, transaction, first, count), CancellationToken.None);
            }
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

    private static async Task WriteBatchAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, int first, int count)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        await using var feedback = Command(connection, transaction, """
            INSERT INTO feedback_items (source, external_id, received_at, agent_email, agent_person_id, team_id, rating_scale, rating_value, score,
                customer_name, redacted_text, status, created_at, updated_at)
            VALUES ('survey', @ExternalId, @Now, 'agent@example.com', @Agent, @Team, 'csat5', 5, 1, 'Maria', @Text, @Status, @Now, @Now)
            ON CONFLICT (source, external_id) DO NOTHING RETURNING id
            """, "ExternalId", "Now", "Agent", "Team", "Text", "Status");
        await using var kudos = Command(connection, transaction, """
            INSERT INTO kudos (kind, feedback_item_id, recipient_person_id, team_id, text, cross_department, status, created_at)
            VALUES ('customer', @FeedbackItemId, @Agent, @Team, @Text, 0, 'relayed', @Now)
            """, "FeedbackItemId", "Agent", "Team", "Text", "Now");
        await using var outbox = Command(connection, transaction, """
            INSERT INTO outbox_messages (idempotency_key, platform, target_kind, target_address, body, status, next_attempt_at, created_at)
            VALUES (@Key, 'slack', @Kind, @Address, @Body, 'pending', @Now, @Now)
            ON CONFLICT (idempotency_key) DO NOTHING
            """, "Key", "Kind", "Address", "Body", "Now");
        for (var row = first; row < first + count; row++)
        {
            var slot = row % 100;
            if (slot >= 92)
                continue;   // resends and broken rows write nothing
            var positive = slot < 75;
            Set(feedback, $"T{row}", now, positive ? 1L : DBNull.Value, positive ? 1L : DBNull.Value, Quote, positive ? "relayed" : "not-positive");
            var id = (long)(await feedback.ExecuteScalarAsync())!;
            if (!positive)
                continue;
            Set(kudos, id, 1L, 1L, Quote, now);
            await kudos.ExecuteNonQueryAsync();
            Set(outbox, $"feedback:{id}:dm", "Person", "UAGENT", DirectMessageBody(id), now);
            await outbox.ExecuteNonQueryAsync();
            Set(outbox, $"feedback:{id}:team:slack", "Channel", "CCARE", ChannelPostBody, now);
            await outbox.ExecuteNonQueryAsync();
        }
    }

    // The two bodies a relayed row enqueues, at their real shape and size (about 1,080 and 710 characters).
    private static string DirectMessageBody(long id) =>
        $$$"""{"summary":"Agent, Maria praised you: {{{Quote}}}","blocks":[{"type":"heading","text":"Maria said thank you"},{"type":"text","text":"Agent, this is about you:"},{"type":"quote","text":"{{{Quote}}}","attribution":"Maria"},{"type":"context","text":"Customer feedback relayed by KudosRelay; Care sees it too, and it counts towards this week's digest."},{"type":"person-picker","prompt":"Did a colleague help you with this? Pass it on: they'll hear the customer's thanks from you.","placeholder":"Choose a colleague","submit":{"label":"Pass it on","actionId":"kudos.pass","payload":"{{{id}}}","style":1}}]}""";

    private static readonly string ChannelPostBody =
        $$$"""{"summary":"Maria praised Agent: {{{Quote}}}","blocks":[{"type":"heading","text":"Kudos for Agent"},{"type":"quote","text":"{{{Quote}}}","attribution":"Maria"},{"type":"context","text":"Customer feedback relayed by KudosRelay."}]}""";

    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static void Set(System.Data.Common.DbCommand command, params object[] values)
    {
        for (var index = 0; index < values.Length; index++)
            command.Parameters[index].Value = values[index];
    }
}
