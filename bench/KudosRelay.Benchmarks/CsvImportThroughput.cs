using System.Diagnostics;
using System.Globalization;
using System.Text;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using KudosRelay.Slack;
using KudosRelay.Teams;

namespace KudosRelay.Benchmarks;

/// <summary>
/// <c>kudosrelay feedback import</c> as an operator runs it: the published executable as a child process on a
/// fresh SQLite file with an organisation of agents and teams, importing a generated survey export
/// (mostly praise of a few hundred characters with personal data to redact, some complaints, resent rows
/// and broken rows), received over the last 30 days: the last week's praise goes out as one summary per agent
/// and team channel, the rest is stored quietly. Reports rows/s, elapsed time, the child's peak resident memory
/// and its summary.
/// </summary>
internal static class CsvImportThroughput
{
    internal const int Agents = 40;
    internal const int Teams = 8;

    /// <summary>The file spans the last 30 days before <paramref name="now"/>, oldest first; the import relays the last 7.</summary>
    internal static DateTime ReceivedAt(DateTime now, int row, int rows) => now.AddDays(-30).AddTicks(TimeSpan.FromDays(30).Ticks / rows * row);

    internal static readonly DateTime Now = DateTime.UtcNow.Date;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var rows = args.Int("rows", 100_000);
        // --keep DIR leaves the file and the imported database in DIR, e.g. to profile the import again by hand.
        var keep = args.Values.GetValueOrDefault("keep");
        var folder = keep is null ? Directory.CreateTempSubdirectory("kudosrelay-bench-csv-") : Directory.CreateDirectory(keep);
        try
        {
            var connectionString = $"Data Source={Path.Combine(folder.FullName, "csv.db")}";
            var db = DatabaseConnections.Create(SqlDialect.Sqlite, connectionString);
            await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
            var organisation = await new ImportOrganisationHandler(db, TimeProvider.System, new OrgFileReader([new SlackIdFormat(), new TeamsIdFormat()])).ImportAsync(Organisation(), CancellationToken.None);
            if (!organisation.Succeeded)
                throw new InvalidOperationException("the benchmark organisation did not import");
            var csv = Path.Combine(folder.FullName, "survey.csv");
            var expected = await WriteCsvAsync(csv, rows);
            Console.WriteLine($"file: {rows:N0} rows, {new FileInfo(csv).Length / 1024 / 1024} MB; expected {expected}");

            var (seconds, cpuSeconds, peakMb, output) = await ImportAsync(await PublishedHost.ExecutableAsync(), csv, connectionString);
            Console.WriteLine($"csv import: {rows:N0} rows in {seconds:F2} s = {rows / seconds:F0} rows/s (whole process, start-up included); peak RSS {peakMb} MB");
            Console.WriteLine($"cpu: {cpuSeconds:F2} s user+system in the importer (a steadier measure than wall time on a busy machine)");
            // The summary, with the first few rejected lines (the command lists up to 50).
            foreach (var line in output.Where(l => !l.TrimStart().StartsWith("line ", StringComparison.Ordinal)).Concat(output.Where(l => l.TrimStart().StartsWith("line ", StringComparison.Ordinal)).Take(3)))
                Console.WriteLine($"  | {line}");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep is null)
                folder.Delete(recursive: true);
        }
    }

    internal static string Organisation()
    {
        var yaml = new StringBuilder("people:\n");
        for (var a = 0; a < Agents; a++)
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ email: agent{a}@example.com, name: Agent {a}, slack: UAGENT{a} }}\n");
        yaml.Append("teams:\n");
        for (var t = 0; t < Teams; t++)
        {
            var members = string.Join(", ", Enumerable.Range(0, Agents).Where(a => a % Teams == t).Select(a => $"agent{a}@example.com"));
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ key: team{t}, name: Team {t}, members: [{members}], channels: {{ slack: CTEAM{t} }} }}\n");
        }
        return yaml.ToString();
    }

    private static readonly string[] Praise =
    [
        "Hi, I just wanted to say that {0} was so helpful, thank you! I had called three times about the refund for order {1} and nobody could explain it, but they were patient and very professional. They rang me back on +359 88 123 {2} as promised and even e-mailed maria.ionescu{2}@example.com with the details. Honestly the best support I have had in years, really great work. Thanks again!",
        "Great service from {0}. My parcel {1} was lost and they sorted out a replacement the same day, kept me informed by e-mail at ivan.petrov{2}@example.org and called me on 0888 555 {2}. Friendly, quick and clear. I will recommend you to my friends, thank you so much!",
        "Excellent help, {0} solved my billing problem in ten minutes after weeks of trouble. Very kind and patient, explained everything. You can reach me at +40 721 000 {2} if you need anything for case {1}. Wonderful, thank you!",
    ];

    private static readonly string[] Complaints =
    [
        "Terrible experience, nobody called me back about order {1} and I waited for two weeks. Very disappointed.",
        "The app keeps crashing and support was useless, I had to explain my problem {1} three times. Awful.",
    ];

    internal enum SurveyRowKind { Praise, Complaint, Resend, Broken }

    /// <summary>A row of the generated file: <paramref name="Id"/> empty or <paramref name="Csat"/> off the scale on a broken row.</summary>
    internal sealed record SurveyRow(string Id, DateTime ReceivedAt, int Csat, string Text, int Agent, SurveyRowKind Kind)
    {
        public const string Customer = "Maria Ivanova";

        public string AgentEmail => $"agent{Agent}@example.com";

        public int Team => Agent % Teams;
    }

    /// <summary>
    /// Every 100 rows: 75 positive (CSAT 4–5 with praise), 15 negative (CSAT 1–2 with a complaint), 8 rows
    /// that resend an earlier row unchanged (duplicates), 2 broken rows (no id, or a rating off the scale).
    /// </summary>
    internal static SurveyRow Generate(int i, int rows)
    {
        var slot = i % 100;
        var agent = (i * 7) % Agents;
        var received = ReceivedAt(Now, i, rows);
        if (slot < 75)
            return new($"T{i}", received, 4 + (i % 2), Praising(i, agent), agent, SurveyRowKind.Praise);
        if (slot < 90)
            return new($"T{i}", received, 1 + (i % 2), string.Format(CultureInfo.InvariantCulture, Complaints[i % Complaints.Length], "", $"ORD-{i}"), agent, SurveyRowKind.Complaint);
        if (slot < 98 && i >= 100)
        {
            // A resend of a positive row from the previous block, exactly as first sent.
            var earlier = i - slot - 100 + (slot - 90) * 9;
            var earlierAgent = (earlier * 7) % Agents;
            return new($"T{earlier}", ReceivedAt(Now, earlier, rows), 4 + (earlier % 2), Praising(earlier, earlierAgent), earlierAgent, SurveyRowKind.Resend);
        }
        if (slot < 98)
            return new($"T{i}", received, 1, "Not good.", agent, SurveyRowKind.Complaint);
        return slot == 98
            ? new("", received, 5, "No id on this row", agent, SurveyRowKind.Broken)
            : new($"T{i}", received, 9, "Rating off the scale", agent, SurveyRowKind.Broken);

        static string Praising(int row, int agent) => string.Format(
            CultureInfo.InvariantCulture, Praise[row % Praise.Length], $"Agent {agent}", $"ORD-{row}", (row % 10_000).ToString("D4", CultureInfo.InvariantCulture));
    }

    private static async Task<string> WriteCsvAsync(string path, int rows)
    {
        var counts = new Dictionary<SurveyRowKind, int>();
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync("Ticket ID,Received,CSAT,Comment,Agent,Customer,Team");
        for (var i = 0; i < rows; i++)
        {
            var row = Generate(i, rows);
            counts[row.Kind] = counts.GetValueOrDefault(row.Kind) + 1;
            await writer.WriteLineAsync(Line(row));
        }
        return $"~{counts.GetValueOrDefault(SurveyRowKind.Praise):N0} positive (about a quarter relayed in summaries, the rest stored), " +
            $"{counts.GetValueOrDefault(SurveyRowKind.Complaint):N0} not positive, {counts.GetValueOrDefault(SurveyRowKind.Resend):N0} duplicates, " +
            $"{counts.GetValueOrDefault(SurveyRowKind.Broken):N0} rejected";
    }

    private static string Line(SurveyRow row) => string.Create(CultureInfo.InvariantCulture,
        $"{row.Id},{row.ReceivedAt:O},{row.Csat},\"{row.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{row.AgentEmail},{SurveyRow.Customer},team{row.Team}");

    private static async Task<(double Seconds, double CpuSeconds, long PeakMb, IReadOnlyList<string> Output)> ImportAsync(string executable, string csv, string connectionString)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "feedback", "import", csv, "--source", "survey",
                     "--map", "Ticket ID=externalId", "--map", "CSAT=ratingValue", "--map", "Comment=text", "--map", "Agent=agentEmail", "--map", "Received=receivedAt",
                     "--scale", "csat5", "--relay-since", Now.AddDays(-7).ToString("O", CultureInfo.InvariantCulture),
                     $"--Database:ConnectionString={connectionString}", "--Logging:LogLevel:Default=Warning" })
            start.ArgumentList.Add(arg);
        var output = new List<string>();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peakMb = 0;
        double cpuSeconds = 0;
        while (!process.HasExited)
        {
            peakMb = Math.Max(peakMb, PeakRssMb(process.Id));
            cpuSeconds = Math.Max(cpuSeconds, CpuSeconds(process.Id));
            await Task.Delay(20);
        }
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the import failed with exit code {process.ExitCode}:\n{string.Join('\n', output)}");
        return (seconds, cpuSeconds, peakMb, output);
    }

    /// <summary>User plus system time of the process so far (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s), 0 once it has gone.</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The kernel's high-water mark of the process's resident memory, 0 once it has gone.</summary>
    private static long PeakRssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
