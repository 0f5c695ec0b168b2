using System.Text;
using Dapper;
using KudosRelay.Core.People;
using KudosRelay.Host.Tests.Org;
using KudosRelay.Testing;
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
            teams:
              - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
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

        await using var run = await ImportAsync(path, "--map", "Ticket ID=externalId", "--map", "Score=ratingValue", "--map", "Comment=text",
            "--map", "Agent=agentEmail", "--map", "Received=receivedAt", "--scale", "csat5");
        await using var again = await ImportAsync(path, "--map", "Ticket ID=externalId", "--map", "Score=ratingValue", "--map", "Comment=text",
            "--map", "Agent=agentEmail", "--map", "Received=receivedAt", "--scale", "csat5");

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
        Assert.Equal(2 * (Rows - Bad - Negative), messages);
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

        await using var run = await ImportAsync(path, "--scale", "csat5");

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
        Assert.Equal(["UANA", "C0CARE", "UANA", "C0CARE"], posts);
        Assert.Equal(2, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM kudos"), CancellationToken.None));
        Assert.Equal(0, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outbox_messages WHERE body LIKE '%maria@example.com%'"), CancellationToken.None));
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
