using System.Text;
using Dapper;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Host.Intake;
using KudosRelay.Host.Tests.Org;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Intake;

public sealed class FeedbackCsvImportTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        folder = Directory.CreateTempSubdirectory("kudosrelay-csv-").FullName;
        var imported = await new ImportOrganisationHandler(database.Db, TimeProvider.System, AdapterIdFormats.Reader).ImportAsync("""
            people:
              - { email: ana@example.com, name: Ana Petrova, slack: UANA }
              - { email: ivo@example.com, name: Ivo Stanev, slack: UIVO }
            teams:
              - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
              - { key: retention, name: Retention, members: [ivo@example.com], channels: { slack: C0RETAIN } }
            """, CancellationToken.None);
        Assert.True(imported.Succeeded);
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<HostProcess> ImportAsync(string file, params string[] extra)
    {
        var process = HostProcess.Start(["feedback", "import", file, "--source", "survey", $"--Database:ConnectionString={database.ConnectionString}", .. extra]);
        await process.WaitForExitAsync(TimeSpan.FromMinutes(5));
        return process;
    }

    private static string Line(HostProcess run, string label) =>
        run.Output.Single(line => line.TrimStart().StartsWith(label, StringComparison.Ordinal)).Split(':', 2)[1].Trim();

    [Fact]
    public async Task A_hundred_thousand_row_file_imports_with_a_true_summary_and_names_the_bad_lines()
    {
        const int Rows = 100_000;
        var path = Path.Combine(folder, "survey.csv");
        var expectedBadLines = new List<int>();
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("Ticket ID,Score,Comment,Agent,Received");
            for (var i = 1; i <= Rows; i++)
            {
                var line = i + 1;
                if (i % 10_000 == 0)
                {
                    expectedBadLines.Add(line);
                    await writer.WriteLineAsync($"T{i},11,\"too high\",ana@example.com,2026-11-20T10:00:00Z");
                }
                else if (i % 10_000 == 5_000)
                {
                    expectedBadLines.Add(line);
                    await writer.WriteLineAsync($",5,\"no id\",ana@example.com,2026-11-20T10:00:00Z");
                }
                else
                {
                    var score = i % 4 == 0 ? 2 : 5;
                    await writer.WriteLineAsync($"T{i},{score},\"Thanks, all good with order {i}\",ana@example.com,2026-11-20T10:00:00Z");
                }
            }
        }

        string[] options = ["--map", "Ticket ID=externalId", "--map", "Score=ratingValue", "--map", "Comment=text",
            "--map", "Agent=agentEmail", "--map", "Received=receivedAt", "--scale", "csat5", "--relay-since", "2026-11-01"];
        await using var run = await ImportAsync(path, options);
        await using var again = await ImportAsync(path, options);

        Assert.True(run.ExitCode == 0, run.ErrorOutput);
        const int Bad = 20;
        const int Negative = 25_000 - Bad; // every bad line falls on a multiple of four
        Assert.Equal((Rows - Bad - Negative).ToString("N0", System.Globalization.CultureInfo.CurrentCulture), Line(run, "relayed:"));
        Assert.Equal(Negative.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), Line(run, "not positive:"));
        Assert.Equal(Bad.ToString(System.Globalization.CultureInfo.CurrentCulture), Line(run, "rejected:"));
        foreach (var line in expectedBadLines)
            Assert.Contains(run.Output, l => l.TrimStart().StartsWith($"line {line}: ", StringComparison.Ordinal));
        Assert.Equal((Rows - Bad).ToString("N0", System.Globalization.CultureInfo.CurrentCulture), Line(again, "duplicates:"));
        Assert.Equal("0", Line(again, "relayed:"));
        var stored = await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM feedback_items"), CancellationToken.None);
        Assert.Equal(Rows - Bad, stored);
        var messages = await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outbox_messages"), CancellationToken.None);
        // One summary to Ana and one post in her team's channel, instead of a message and a post per item.
        Assert.Equal(2, messages);
        Assert.Contains(run.Output, l => l.Trim() == "sent:              1 summary to 1 person, 1 channel post");
        Assert.Contains(again.Output, l => l.Trim() == "sent:              0 summaries to 0 people, 0 channel posts");
    }

    private async Task<string> GenerateAsync(string name, params string[] rows)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, "externalId,receivedAt,rating,text,agentEmail\n" + string.Join("\n", rows) + "\n");
        return path;
    }

    private Task<List<(string Key, string Address, string Body)>> OutboxAsync() =>
        database.Db.WithConnectionAsync(async c => (await c.QueryAsync<(string, string, string)>(
            "SELECT idempotency_key, target_address, body FROM outbox_messages ORDER BY id")).ToList(), CancellationToken.None);

    [Fact]
    public async Task Old_feedback_is_stored_and_counted_and_recent_praise_reaches_each_agent_and_channel_as_one_message()
    {
        var path = await GenerateAsync("mixed-ages.csv",
            "O1,2026-10-02T10:00:00Z,5,Ana rescued my October order,ana@example.com",
            "O2,2026-10-03T10:00:00Z,5,Ivo was kind in October too,ivo@example.com",
            "R1,2026-11-26T10:00:00Z,5,Ana found my lost parcel and called me back twice,ana@example.com",
            "R2,2026-11-27T10:00:00Z,4,Ana was quick,ana@example.com",
            "R3,2026-11-27T11:00:00Z,5,Ivo sorted out the refund in five minutes,ivo@example.com",
            "R4,2026-11-28T11:00:00Z,1,Nobody called back,ivo@example.com");

        await using var run = await ImportAsync(path, "--scale", "csat5", "--relay-since", "2026-11-25");
        var sent = await OutboxAsync();
        await using var again = await ImportAsync(path, "--scale", "csat5", "--relay-since", "2026-11-25");

        Assert.True(run.ExitCode == 0, run.ErrorOutput);
        Assert.Equal("3", Line(run, "relayed:"));
        Assert.StartsWith("2 (received before 2026-11-25 00:00 UTC)", Line(run, "stored, not sent:"), StringComparison.Ordinal);
        Assert.Equal("1", Line(run, "not positive:"));
        Assert.Contains(run.Output, l => l.Trim() == "sent:              2 summaries to 2 people, 2 channel posts");
        // The day the summaries count from ("since Thursday", "since 26 November") depends on the day the test runs; KudosMessagesTests pins it.
        // Ana and Ivo are in different teams: one direct message each, one post in each team's channel; nothing about October.
        Assert.Equal(["UANA", "UIVO", "C0CARE", "C0RETAIN"], sent.Select(m => m.Address));
        Assert.Matches("2 customers thanked you since [A-Z0-9]", sent[0].Body);
        Assert.Contains("lost parcel", sent[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("October", string.Concat(sent.Select(m => m.Body)), StringComparison.Ordinal);
        Assert.Matches("A customer thanked you since [A-Z0-9]", sent[1].Body);
        Assert.Matches("2 customers thanked Customer Care since [A-Z0-9]", sent[2].Body);
        // The old items count for the weeks they arrived in, not this one.
        var counted = await database.Db.WithConnectionAsync(async c => (await c.QueryAsync<DateTime>(
            "SELECT k.created_at FROM kudos k JOIN feedback_items f ON f.id = k.feedback_item_id WHERE f.external_id LIKE 'O%' ORDER BY f.external_id")).ToList(), CancellationToken.None);
        Assert.Equal([new DateTime(2026, 10, 2, 10, 0, 0), new DateTime(2026, 10, 3, 10, 0, 0)], counted);

        Assert.True(again.ExitCode == 0, again.ErrorOutput);
        Assert.Equal("6", Line(again, "duplicates:"));
        Assert.Equal("0", Line(again, "relayed:"));
        Assert.Equal(sent, await OutboxAsync());
    }

    [Fact]
    public async Task Relay_since_never_stores_everything_and_sends_nothing()
    {
        var path = await GenerateAsync("silent.csv", "Q1,2026-11-30T10:00:00Z,5,Ana was lovely,ana@example.com");

        await using var run = await ImportAsync(path, "--scale", "csat5", "--relay-since", "never");

        Assert.True(run.ExitCode == 0, run.ErrorOutput);
        Assert.StartsWith("1 (--relay-since never)", Line(run, "stored, not sent:"), StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task A_dry_run_prints_the_summary_and_what_would_be_sent_and_writes_nothing()
    {
        var path = await GenerateAsync("dry.csv",
            "D1,2026-11-30T10:00:00Z,5,Ana explained the new tariff so clearly,ana@example.com",
            "D2,2026-11-01T10:00:00Z,5,An old thank you,ana@example.com");

        await using var run = await ImportAsync(path, "--scale", "csat5", "--relay-since", "2026-11-25", "--dry-run");

        Assert.True(run.ExitCode == 0, run.ErrorOutput);
        Assert.Contains(run.Output, l => l.StartsWith("Dry run of dry.csv: 2 rows", StringComparison.Ordinal));
        Assert.Equal("1", Line(run, "relayed:"));
        Assert.Contains(run.Output, l => l.Trim() == "would send:        1 summary to 1 person, 1 channel post");
        Assert.Contains(run.Output, l => l.Contains("A CUSTOMER THANKED YOU SINCE ", StringComparison.Ordinal));
        Assert.Contains(run.Output, l => l.Contains("explained the new tariff", StringComparison.Ordinal));
        Assert.Empty(await OutboxAsync());
        Assert.Equal(0, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM feedback_items"), CancellationToken.None));
    }

    [Fact]
    public async Task One_message_per_item_is_refused_for_more_than_200_relayable_rows_unless_forced()
    {
        var path = await GenerateAsync("each.csv", Enumerable.Range(0, 201).Select(i => $"E{i},2026-11-30T10:00:00Z,5,Ana was great,ana@example.com").ToArray());

        await using var refused = await ImportAsync(path, "--scale", "csat5", "--relay-since", "2026-11-25", "--relay", "each");
        var afterRefusal = await OutboxAsync();
        await using var forced = await ImportAsync(path, "--scale", "csat5", "--relay-since", "2026-11-25", "--relay", "each", "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("more than 200 rows that would be relayed", refused.ErrorOutput, StringComparison.Ordinal);
        Assert.Contains("--force", refused.ErrorOutput, StringComparison.Ordinal);
        Assert.Empty(afterRefusal);
        Assert.True(forced.ExitCode == 0, forced.ErrorOutput);
        Assert.Equal("201", Line(forced, "relayed:"));
        Assert.Equal(402, (await OutboxAsync()).Count);
    }

    [Fact]
    public async Task Rows_with_a_400_character_customer_name_or_a_date_in_1700_are_rejected_by_line_field_and_limit_and_the_others_imported()
    {
        var path = Path.Combine(folder, "limits.csv");
        await File.WriteAllTextAsync(path, $"""
            externalId,rating,text,agentEmail,customerName,receivedAt
            L1,5,Quick and kind,ana@example.com,{new string('M', 400)},
            L2,5,Quick and kind,ana@example.com,Maria,1700-01-01
            L3,5,Quick and kind,ana@example.com,Maria,2026-11-20T10:00:00Z
            """);

        await using var run = await ImportAsync(path, "--scale", "csat5", "--relay-since", "2026-11-01");

        Assert.True(run.ExitCode == 0, run.ErrorOutput);
        Assert.Equal("2", Line(run, "rejected:"));
        Assert.Equal("1", Line(run, "relayed:"));
        Assert.Contains(run.Output, l => l.Trim() == "line 2: customerName: must be at most 200 characters, not 400");
        Assert.Contains(run.Output, l => l.TrimStart().StartsWith("line 3: receivedAt: '1700-01-01' is before 1900-01-01", StringComparison.Ordinal));
        var items = await database.Db.WithConnectionAsync(async c => (await c.QueryAsync<string>("SELECT external_id FROM feedback_items ORDER BY external_id")).ToList(), CancellationToken.None);
        Assert.Equal(["L3"], items);
    }

    [Fact]
    public async Task A_rejected_row_in_the_middle_of_a_batch_writes_nothing_and_its_neighbours_are_written_whole()
    {
        var path = Path.Combine(folder, "mixed.csv");
        await File.WriteAllTextAsync(path, """
            externalId,rating,text,agentEmail
            M1,5,"Ana was great, mail me at maria@example.com",ana@example.com
            M2,7,"Off the scale",ana@example.com
            M3,5,"Quick and kind",ana@example.com
            M1,5,"Ana was great, mail me at maria@example.com",ana@example.com
            """);

        await using var run = await ImportAsync(path, "--scale", "csat5");

        Assert.True(run.ExitCode == 0, run.ErrorOutput);
        Assert.Equal("2", Line(run, "relayed:"));
        Assert.Equal("1", Line(run, "duplicates:"));
        Assert.Equal("1", Line(run, "rejected:"));
        Assert.Contains(run.Output, l => l.TrimStart().StartsWith("line 3: rating: ", StringComparison.Ordinal));
        var items = await database.Db.WithConnectionAsync(async c => (await c.QueryAsync<string>("SELECT external_id FROM feedback_items ORDER BY external_id")).ToList(), CancellationToken.None);
        Assert.Equal(["M1", "M3"], items);
        var posts = await database.Db.WithConnectionAsync(async c => (await c.QueryAsync<string>("SELECT target_address FROM outbox_messages ORDER BY id")).ToList(), CancellationToken.None);
        // Rows without a date arrived now: both reach Ana in one summary and the channel in one post.
        Assert.Equal(["UANA", "C0CARE"], posts);
        Assert.Equal(2, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM kudos"), CancellationToken.None));
        Assert.Equal(0, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outbox_messages WHERE body LIKE '%maria@example.com%'"), CancellationToken.None));
    }

    /// <summary>Praise for Ana (odd rows) and Ivo (even rows), all inside the relay window the tests give.</summary>
    private async Task<string> PraiseFileAsync(string name, int rows, Func<int, int>? rating = null)
    {
        var path = Path.Combine(folder, name);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync("externalId,receivedAt,rating,text,agentEmail");
        for (var i = 1; i <= rows; i++)
            await writer.WriteLineAsync($"P{i},2026-11-20T10:00:00Z,{rating?.Invoke(i) ?? 5},\"{(i % 2 == 1 ? "Ana" : "Ivo")} sorted out order {i} with real care\",{(i % 2 == 1 ? "ana" : "ivo")}@example.com");
        return path;
    }

    private static readonly string[] Recent = ["--scale", "csat5", "--relay-since", "2026-11-01"];

    private Task<int> CountAsync(string sql) =>
        database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>(sql), CancellationToken.None);

    private Task<int> ExecuteAsync(string sql) =>
        database.Db.WithConnectionAsync(c => c.ExecuteAsync(sql), CancellationToken.None);

    private static string Thousands(int count) => count.ToString("N0", System.Globalization.CultureInfo.CurrentCulture);

    [Fact]
    public async Task An_import_stopped_by_a_database_error_after_its_first_batch_is_relayed_in_full_by_the_next_run_of_the_file_one_message_each()
    {
        var path = await PraiseFileAsync("stopped.csv", 5_000);
        // The seam: the database refuses an item of the second batch, after the first batch (rows 1–2,000) is stored.
        await ExecuteAsync("""
            CREATE TRIGGER broken_disk BEFORE INSERT ON feedback_items WHEN NEW.external_id = 'P2500'
            BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END
            """);

        await using var stopped = await ImportAsync(path, Recent);
        var sentByStopped = await OutboxAsync();
        var storedByStopped = await CountAsync("SELECT COUNT(*) FROM feedback_items");
        await ExecuteAsync("DROP TRIGGER broken_disk");
        await using var rerun = await ImportAsync(path, Recent);
        var sentByRerun = await OutboxAsync();
        await using var third = await ImportAsync(path, Recent);

        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("the database did not take a write (", stopped.ErrorOutput, StringComparison.Ordinal);
        Assert.Equal(FeedbackCsvImport.BatchSize, storedByStopped);
        Assert.Empty(sentByStopped);

        Assert.True(rerun.ExitCode == 0, rerun.ErrorOutput);
        Assert.Equal(Thousands(2_000), Line(rerun, "duplicates:"));
        Assert.Equal(Thousands(3_000), Line(rerun, "relayed:"));
        Assert.Equal($"{Thousands(2_000)} (stored by an earlier import of this source that stopped before sending; included in these summaries)", Line(rerun, "from earlier:"));
        Assert.Contains(rerun.Output, l => l.Trim() == "sent:              2 summaries to 2 people, 2 channel posts");
        // One message to each agent and one post to each channel, each counting all 2,500 items of its agent or team.
        Assert.Equal(["UANA", "UIVO", "C0CARE", "C0RETAIN"], sentByRerun.Select(m => m.Address));
        Assert.All(sentByRerun, message => Assert.Matches("2.?500 customers thanked", message.Body));
        Assert.All(sentByRerun, message => Assert.StartsWith("summary:import:", message.Key, StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM open_summaries"));

        Assert.True(third.ExitCode == 0, third.ErrorOutput);
        Assert.Equal(Thousands(5_000), Line(third, "duplicates:"));
        Assert.Equal("0", Line(third, "from earlier:"));
        Assert.Equal(sentByRerun, await OutboxAsync());
    }

    [Fact]
    public async Task When_the_summary_itself_cannot_be_queued_the_next_run_sends_it_without_the_praise_withdrawn_meanwhile()
    {
        var path = await PraiseFileAsync("unsent.csv", 4);
        await ExecuteAsync("""
            CREATE TRIGGER outbox_down BEFORE INSERT ON outbox_messages WHEN NEW.idempotency_key LIKE 'summary:import:%'
            BEGIN SELECT RAISE(ABORT, 'database is locked'); END
            """);

        await using var failed = await ImportAsync(path, Recent);
        var sentByFailed = await OutboxAsync();
        await ExecuteAsync("DROP TRIGGER outbox_down");
        // The survey tool's next export: the customer of P3 (Ana's) changed their rating.
        var revised = await PraiseFileAsync("unsent-revised.csv", 4, rating: i => i == 3 ? 1 : 5);
        await using var rerun = await ImportAsync(revised, Recent);

        Assert.Equal(1, failed.ExitCode);
        Assert.Empty(sentByFailed);
        Assert.True(rerun.ExitCode == 0, rerun.ErrorOutput);
        Assert.Equal("3", Line(rerun, "duplicates:"));
        Assert.Equal("1", Line(rerun, "withdrawn:"));
        Assert.StartsWith("4 (stored by an earlier import", Line(rerun, "from earlier:"), StringComparison.Ordinal);
        var sent = await OutboxAsync();
        Assert.Equal(["UANA", "UIVO", "C0CARE", "C0RETAIN"], sent.Select(m => m.Address));
        Assert.Matches("A customer thanked you since", sent[0].Body);
        Assert.Contains("order 1 ", sent[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("order 3 ", string.Concat(sent.Select(m => m.Body)), StringComparison.Ordinal);
        Assert.Matches("2 customers thanked you since", sent[1].Body);
        Assert.Matches("A customer thanked Customer Care since", sent[2].Body);
    }

    [Fact]
    public async Task An_import_interrupted_after_some_batches_sends_what_it_stored_and_the_next_run_sends_only_the_rest()
    {
        var path = await PraiseFileAsync("interrupted.csv", 12_000);
        var app = KudosRelayServer.Create([$"--Database:ConnectionString={database.ConnectionString}", "--Logging:LogLevel:Default=Warning"]);
        CsvImportSummary interrupted;
        await using (app)
        {
            var import = new FeedbackCsvImport(app.Services.GetRequiredService<SubmitFeedbackHandler>(), app.Services.GetRequiredService<Db>(), TimeProvider.System);
            using var ctrlC = new CancellationTokenSource();
            using var reader = new StreamReader(path);
            // Ctrl+C as the progress line after 10,000 rows (five batches) is printed.
            interrupted = await import.ImportAsync(reader, "survey", [], "csat5", new CsvImportRelay(new DateTime(2026, 11, 1), Each: false),
                (_, _) => ctrlC.Cancel(), ctrlC.Token);
        }
        var sentWhenInterrupted = await OutboxAsync();
        await using var rerun = await ImportAsync(path, Recent);
        var sent = await OutboxAsync();

        Assert.True(interrupted.Stopped);
        Assert.Equal(10_000, interrupted.Rows);
        Assert.Equal(10_000, interrupted.Count(FeedbackResult.Relayed));
        Assert.Equal((2, 2), (interrupted.Sent.People, interrupted.Sent.ChannelPosts));
        Assert.Equal(["UANA", "UIVO", "C0CARE", "C0RETAIN"], sentWhenInterrupted.Select(m => m.Address));
        Assert.All(sentWhenInterrupted, message => Assert.Matches("5.?000 customers thanked", message.Body));

        Assert.True(rerun.ExitCode == 0, rerun.ErrorOutput);
        Assert.Equal(Thousands(10_000), Line(rerun, "duplicates:"));
        Assert.Equal(Thousands(2_000), Line(rerun, "relayed:"));
        Assert.Equal("0", Line(rerun, "from earlier:"));
        Assert.Equal(sentWhenInterrupted, sent.Take(4));
        Assert.Equal(["UANA", "UIVO", "C0CARE", "C0RETAIN"], sent.Skip(4).Select(m => m.Address));
        Assert.All(sent.Skip(4), message => Assert.Matches("1.?000 customers thanked", message.Body));
        Assert.Equal(8, sent.Select(m => m.Key).Distinct().Count());
    }

    [Fact]
    public async Task A_file_without_an_id_column_is_refused_with_the_columns_it_has()
    {
        var path = Path.Combine(folder, "bad.csv");
        await File.WriteAllTextAsync(path, "Score,Comment\n5,great\n");

        await using var run = await ImportAsync(path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no column for externalId (columns: Score, Comment)", run.ErrorOutput);
    }
}
