using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using CsvHelper;
using CsvHelper.Configuration;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;

namespace KudosRelay.Host.Intake;

/// <summary>Where each field of a feedback item comes from in a CSV file.</summary>
internal sealed record CsvFieldMap(IReadOnlyDictionary<string, string> ColumnsByField, string? DefaultScale)
{
    public static readonly IReadOnlyList<string> Fields =
        ["externalId", "receivedAt", "ratingScale", "ratingValue", "text", "agentEmail", "team", "customerName", "caseRef", "language"];

    /// <summary>Headers match fields ignoring case, spaces, dots, dashes and underscores ("Rating Value", "rating.value").</summary>
    public static CsvFieldMap From(string[] headers, IEnumerable<string> overrides, string? defaultScale, out List<string> errors)
    {
        errors = [];
        var byField = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
            if (Fields.FirstOrDefault(f => Simplify(f) == Simplify(header) || Simplify(Alias(f)) == Simplify(header)) is { } field)
                byField.TryAdd(field, header);
        foreach (var mapping in overrides)
        {
            var parts = mapping.Split('=', 2);
            var field = parts.Length == 2 ? Fields.FirstOrDefault(f => Simplify(f) == Simplify(parts[1])) : null;
            if (field is null)
                errors.Add($"--map {mapping}: expected COLUMN=FIELD with FIELD one of {string.Join(", ", Fields)}");
            else if (!headers.Contains(parts[0], StringComparer.Ordinal))
                errors.Add($"--map {mapping}: the file has no column '{parts[0]}' (columns: {string.Join(", ", headers)})");
            else
                byField[field] = parts[0];
        }
        if (!byField.ContainsKey("externalId"))
            errors.Add($"no column for externalId (columns: {string.Join(", ", headers)}); name one with --map COLUMN=externalId");
        if (!byField.ContainsKey("ratingValue") && !byField.ContainsKey("text"))
            errors.Add("no column for ratingValue or text; name one with --map COLUMN=ratingValue or --map COLUMN=text");
        return new CsvFieldMap(byField, defaultScale);
    }

    private static string Alias(string field) => field switch
    {
        "ratingValue" => "rating",
        "ratingScale" => "scale",
        "agentEmail" => "assigneeEmail",
        "customerName" => "customer",
        _ => field,
    };

    private static string Simplify(string name) =>
        new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}

/// <summary>
/// What an import tells people: positive items received before <paramref name="RelaySince"/> (null: none) are stored and
/// counted only; the rest reach each agent and channel as one summary, or, with <paramref name="Each"/>, one message per item.
/// </summary>
internal sealed record CsvImportRelay(DateTime? RelaySince, bool Each)
{
    /// <summary>One message per item is for small files: above this many relayable rows it needs --force.</summary>
    public const int EachLimit = 200;

    /// <summary>The default window: feedback of the last week is news to the agent; older feedback is history.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    /// <summary><c>--relay-since never</c>: every item is older than the window.</summary>
    public static readonly DateTime Never = DateTime.MaxValue;

    /// <summary>Recent praise goes out as summaries: not one message per item, and not --relay-since never.</summary>
    public bool SendsSummaries => !Each && RelaySince != Never;
}

/// <summary>
/// What an import sent: the summaries' direct messages and channel posts, or the messages of items relayed one by one;
/// <paramref name="Summaries"/> words them again for a dry run to print (nothing else needs them worded twice);
/// <paramref name="FromEarlierImport"/> counts the items an earlier import of the source stored but stopped before sending,
/// included in these summaries.
/// </summary>
internal sealed record CsvImportSent(int People, int ChannelPosts, int Messages, Func<IReadOnlyList<OutboxMessage>> Summaries, int FromEarlierImport = 0);

/// <summary>What an import did; <paramref name="Stopped"/> when it was interrupted before the end of the file.</summary>
internal sealed record CsvImportSummary(
    int Rows, IReadOnlyDictionary<string, int> Results, IReadOnlyList<string> RejectedRows, TimeSpan Elapsed, CsvImportSent Sent, bool Stopped = false)
{
    public int Count(string result) => Results.GetValueOrDefault(result);
}

/// <summary>
/// Streams a CSV file into the same handler the webhook uses, in batches, so a large file never
/// sits in memory and a re-run is harmless: items are unique per source and external id. One task
/// reads, checks and scores rows and looks up where each goes (and checkpoints what was written) while the
/// other writes the previous batch; a bounded channel between them keeps at most a few batches in memory. The summary is queued
/// once the file is stored; an import interrupted (Ctrl+C, SIGTERM) queues the summary of what it stored,
/// and one that stops otherwise (a crash, a database error) leaves its summary open for the next import.
/// </summary>
internal sealed class FeedbackCsvImport(SubmitFeedbackHandler handler, Db db, TimeProvider clock)
{
    /// <summary>Rows per transaction: big enough that a commit costs little per row, small enough that a batch is a few MB.</summary>
    internal const int BatchSize = 2000;

    /// <summary>Batches read ahead of the writer: enough to keep both cores busy.</summary>
    private const int BatchesAhead = 2;

    internal const int ProgressEvery = 10_000;

    /// <summary>How long the reading task trusts the people and teams it looked up: a change to the organisation reaches an import within this.</summary>
    internal static readonly TimeSpan RoutesKeptFor = TimeSpan.FromSeconds(1);

    public async Task<CsvImportSummary> ImportAsync(
        TextReader reader, string source, IEnumerable<string> mappings, string? defaultScale, CsvImportRelay relay,
        Action<int, TimeSpan>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        using var csv = OpenCsv(reader);
        var map = await ReadHeaderAsync(csv, mappings, defaultScale);
        var summary = relay.Each ? null : RelaySummary.New("import");
        var plan = new FeedbackRelayPlan { RelaySince = relay.RelaySince, Summary = summary };
        var fromEarlierImport = summary is not null && relay.SendsSummaries
            ? await handler.OpenSummaryAsync(source, summary, relay.RelaySince, cancellationToken)
            : 0;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<CsvBatch>(new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadAsync(csv, map, source, plan, batches.Writer, stop.Token), stop.Token);
        var results = new Dictionary<string, int>();
        var rejected = new List<string>();
        var rows = 0;
        var stopped = false;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                stop.Token.ThrowIfCancellationRequested();
                foreach (var line in batch.Rejected)
                {
                    Count(results, FeedbackResult.Rejected);
                    rejected.Add(line);
                }
                if (batch.Prepared is { } prepared)
                    foreach (var outcome in await handler.SubmitAsync(prepared, checkpointedElsewhere: true, stop.Token))
                        Count(results, outcome.Result);
                var before = rows;
                rows += batch.Rows;
                if (rows / ProgressEvery > before / ProgressEvery)
                    progress?.Invoke(rows, started.Elapsed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopped = true;
        }
        finally
        {
            // A failed write stops the reader too, instead of leaving it waiting for room in the channel.
            await stop.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (summary is null)
            return new CsvImportSummary(rows, results, rejected, started.Elapsed, new CsvImportSent(0, 0, 0, () => []), stopped);
        // Interrupted, the import still queues the summary of what it stored, read back (the batch being written was not
        // stored): one short transaction. A process killed before it ends leaves the summary open for the next import.
        if (stopped)
            summary.MarkStale();
        var messages = await handler.RelaySummaryAsync(summary, stopped ? CancellationToken.None : cancellationToken);
        var sent = new CsvImportSent(summary.People, summary.ChannelPosts, messages, () => summary.Messages(clock.GetUtcNow()), fromEarlierImport);
        return new CsvImportSummary(rows, results, rejected, started.Elapsed, sent, stopped);
    }

    /// <summary>
    /// How many rows of the file would be relayed (well-formed, positive, received inside the relay window), counting no
    /// further than <paramref name="stopAbove"/>: the check that keeps one-message-per-item imports small.
    /// </summary>
    public async Task<int> CountRelayableAsync(TextReader reader, IEnumerable<string> mappings, string? defaultScale, CsvImportRelay relay, int stopAbove)
    {
        using var csv = OpenCsv(reader);
        var map = await ReadHeaderAsync(csv, mappings, defaultScale);
        var columns = Columns(csv, map);
        var relayable = new HashSet<string>(StringComparer.Ordinal);
        while (relayable.Count <= stopAbove && csv.Read())
        {
            if (Row(csv, columns, map.DefaultScale).Check(clock.GetUtcNow().UtcDateTime).Item is not { } item
                || (relay.RelaySince is { } since && item.ReceivedAt < since))
                continue;
            if (handler.Score(item).Verdict.Polarity == Polarity.Positive)
                relayable.Add(item.ExternalId);
        }
        return relayable.Count;
    }

    private static CsvReader OpenCsv(TextReader reader) =>
        new(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null, MissingFieldFound = null });

    private static async Task<CsvFieldMap> ReadHeaderAsync(CsvReader csv, IEnumerable<string> mappings, string? defaultScale)
    {
        if (!await csv.ReadAsync() || !csv.ReadHeader())
            throw new CsvImportException("the file is empty: expected a header row");
        var map = CsvFieldMap.From(csv.HeaderRecord!, mappings, defaultScale, out var errors);
        if (errors.Count > 0)
            throw new CsvImportException(string.Join(Environment.NewLine, errors));
        return map;
    }

    private static Dictionary<string, int> Columns(CsvReader csv, CsvFieldMap map) =>
        map.ColumnsByField.ToDictionary(pair => pair.Key, pair => csv.GetFieldIndex(pair.Value), StringComparer.OrdinalIgnoreCase);

    private sealed record CsvBatch(List<ScoredFeedback> Items, List<string> Rejected)
    {
        public int Rows { get; set; }

        /// <summary>The items with their rows and routes, worked out before the writer takes the batch; null when none is well-formed.</summary>
        public PreparedBatch? Prepared { get; set; }
    }

    private async Task ReadAsync(
        CsvReader csv, CsvFieldMap map, string source, FeedbackRelayPlan plan, ChannelWriter<CsvBatch> batches, CancellationToken cancellationToken)
    {
        var routes = new RecentRoutes(clock, RoutesKeptFor);
        async Task SendAsync(CsvBatch batch)
        {
            if (batch.Items.Count > 0)
                batch.Prepared = await handler.PrepareAsync(source, batch.Items, plan, routes, cancellationToken);
            await batches.WriteAsync(batch, cancellationToken);
        }

        try
        {
            var columns = Columns(csv, map);
            var batch = new CsvBatch([], []);
            // Synchronous reads: this task has its own thread, and an awaited read per row costs more than parsing it.
            while (csv.Read())
            {
                batch.Rows++;
                var check = Row(csv, columns, map.DefaultScale).Check(clock.GetUtcNow().UtcDateTime);
                if (check.Item is null)
                    batch.Rejected.Add($"line {csv.Parser.RawRow}: {check.Field}: {check.Reason}");
                else
                    batch.Items.Add(handler.Score(check.Item));
                if (batch.Rows == BatchSize)
                {
                    await SendAsync(batch);
                    batch = new CsvBatch(new List<ScoredFeedback>(BatchSize), []);
                    // This core has time to spare: the batches committed so far reach the database file from here.
                    await db.CheckpointAsync(cancellationToken);
                }
            }
            if (batch.Rows > 0)
                await SendAsync(batch);
            batches.Complete();
        }
        catch (Exception exception)
        {
            batches.Complete(exception);
        }
    }

    private static RawFeedback Row(CsvReader csv, Dictionary<string, int> columns, string? defaultScale)
    {
        string? Field(string name) => columns.TryGetValue(name, out var index) ? csv.GetField(index) : null;
        return new RawFeedback(
            Field("externalId"), Field("receivedAt"),
            Field("ratingScale") is { Length: > 0 } scale ? scale : Field("ratingValue") is { Length: > 0 } ? defaultScale : null,
            Field("ratingValue"), Field("text"), Field("agentEmail"), Field("team"), Field("customerName"), Field("caseRef"), Field("language"));
    }

    private static void Count(Dictionary<string, int> results, string result) =>
        results[result] = results.GetValueOrDefault(result) + 1;
}

/// <summary>The file cannot be imported at all (no header, unknown mapping); nothing was written.</summary>
internal sealed class CsvImportException(string message) : Exception(message);
