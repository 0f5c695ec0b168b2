using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Storage;
using KudosRelay.Host.Intake;
using KudosRelay.Host.Outbox;

namespace KudosRelay.Host.Cli;

internal static class FeedbackCommands
{
    public static Command Create(IReadOnlyList<string> configuration)
    {
        var feedback = new Command("feedback", "Bring customer feedback in from files.");
        feedback.Subcommands.Add(Import(configuration));
        return feedback;
    }

    private static Command Import(IReadOnlyList<string> configuration)
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header row." }.RefusingUnknownOptions();
        var source = new Option<string>("--source") { Description = "The feedback source, e.g. the survey tool's name (items are unique per source and externalId).", Required = true };
        var map = new Option<string[]>("--map") { Description = "COLUMN=FIELD, when a column is not named after its field; repeatable.", AllowMultipleArgumentsPerToken = true };
        var scale = new Option<string?>("--scale") { Description = "The rating scale when the file has a rating value but no scale column (csat5, nps10, stars5, thumbs, percent)." };
        var relaySince = new Option<string?>("--relay-since") { Description = "Praise received before this (ISO date or date and time, UTC without an offset) is stored and counted but sent to nobody; 'never' sends nothing. Default: 7 days before the import starts." };
        var relay = new Option<string>("--relay") { Description = "summary (default): one message per agent and one post per team channel; each: one message per item (refused above 200 relayable rows unless --force).", DefaultValueFactory = _ => "summary" };
        relay.AcceptOnlyFromAmong("summary", "each");
        var force = new Option<bool>("--force") { Description = "With --relay each: relay one message per item however many there are." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the summary and what would be sent; write nothing." };
        var command = new Command("import", "Import feedback from a CSV file; recent praise reaches each agent and team channel as one summary.") { file, source, map, scale, relaySince, relay, force, dryRun };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"{path.FullName} does not exist.");
                return KudosRelayCli.Failed;
            }
            var clock = app.Services.GetRequiredService<TimeProvider>();
            if (!TryRelaySince(result.GetValue(relaySince), clock.GetUtcNow(), out var since))
            {
                Console.Error.WriteLine($"--relay-since {result.GetValue(relaySince)}: expected an ISO date (2026-11-23), a date and time (2026-11-23T09:00:00Z) or 'never'.");
                return KudosRelayCli.BadUsage;
            }
            var plan = new CsvImportRelay(since, result.GetValue(relay) == "each");
            var mappings = result.GetValue(map) ?? [];
            var importer = new FeedbackCsvImport(app.Services.GetRequiredService<SubmitFeedbackHandler>(), app.Services.GetRequiredService<Db>(), clock);
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var signals = new InterruptSignals(interrupt);
            try
            {
                if (plan.Each && !result.GetValue(force))
                {
                    using var counting = new StreamReader(path.FullName);
                    var relayable = await importer.CountRelayableAsync(counting, mappings, result.GetValue(scale), plan, CsvImportRelay.EachLimit);
                    if (relayable > CsvImportRelay.EachLimit)
                    {
                        Console.Error.WriteLine($"{path.Name} was not imported; nothing was written: it has more than {CsvImportRelay.EachLimit} rows that would be relayed, "
                            + "and one message per item would flood people's chats. Leave out --relay each to send one summary per agent and team channel, "
                            + "or add --force to send one message per item anyway.");
                        return KudosRelayCli.Failed;
                    }
                }
                using var reader = new StreamReader(path.FullName);
                Task<CsvImportSummary> Run() => importer.ImportAsync(reader, result.GetValue(source)!, mappings, result.GetValue(scale), plan,
                    (rows, elapsed) => Console.Error.WriteLine($"… {rows:N0} rows ({rows / Math.Max(elapsed.TotalSeconds, 0.001):N0} rows/s)"),
                    interrupt.Token);
                var summary = result.GetValue(dryRun) ? await DryRunAsync(app.Services.GetRequiredService<Db>(), Run, interrupt.Token) : await Run();
                Print(path.Name, summary, plan, result.GetValue(dryRun));
                return summary.Stopped ? KudosRelayCli.Failed : KudosRelayCli.Ok;
            }
            catch (CsvImportException exception)
            {
                Console.Error.WriteLine($"{path.Name} was not imported; nothing was written:{Environment.NewLine}{exception.Message}");
                return KudosRelayCli.Failed;
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                Console.Error.WriteLine($"The import of {path.Name} was stopped before it stored anything.");
                return KudosRelayCli.Failed;
            }
            catch (SummaryTakenOverException)
            {
                Console.Error.WriteLine($"The import of {path.Name} stopped: another import of source {result.GetValue(source)} started meanwhile and took over "
                    + "this one's summary, with the rows stored so far; that import sends them. Running this file again once it has finished imports the rest.");
                return KudosRelayCli.Failed;
            }
            catch (DbException exception)
            {
                Console.Error.WriteLine($"The import of {path.Name} stopped: the database did not take a write ({exception.Message}). The rows stored before stay stored"
                    + (plan.SendsSummaries ? $", and the next import of source {result.GetValue(source)} includes their praise in its summaries" : "")
                    + "; running this file again imports the rest.");
                return KudosRelayCli.Failed;
            }
        }, cancellationToken));
        return command;
    }

    /// <summary>The whole import in one transaction that is rolled back: every check runs against the database as it is, and nothing stays.</summary>
    private static async Task<CsvImportSummary> DryRunAsync(Db db, Func<Task<CsvImportSummary>> import, CancellationToken cancellationToken)
    {
        try
        {
            await db.InTransactionAsync<bool>(async (_, _) => throw new DryRunFinished(await import()), cancellationToken);
        }
        catch (DryRunFinished finished)
        {
            return finished.Summary;
        }
        throw new InvalidOperationException("a dry run always ends by rolling back");
    }

    private sealed class DryRunFinished(CsvImportSummary summary) : Exception
    {
        public CsvImportSummary Summary { get; } = summary;
    }

    private static bool TryRelaySince(string? value, DateTimeOffset now, out DateTime? since)
    {
        since = null;
        switch (value)
        {
            case null:
                since = (now - CsvImportRelay.DefaultWindow).UtcDateTime;
                return true;
            case "never":
                since = CsvImportRelay.Never;
                return true;
            default:
                if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    return false;
                since = parsed.UtcDateTime;
                return true;
        }
    }

    private static void Print(string name, CsvImportSummary summary, CsvImportRelay relay, bool dryRun)
    {
        Console.WriteLine((dryRun, summary.Stopped) switch
        {
            (true, _) => $"Dry run of {name}: {summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:N1} s; nothing was written or sent",
            (_, true) => $"Stopped importing {name} after {summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:N1} s: what is counted below is stored and sent; "
                + "running the same file again imports the rest (rows stored already count as duplicates)",
            _ => $"Imported {name}: {summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:N1} s",
        });
        Console.WriteLine($"  relayed:           {summary.Count(FeedbackResult.Relayed):N0}");
        Console.WriteLine($"  stored, not sent:  {summary.Count(FeedbackResult.Stored):N0}{StoredNote(relay)}");
        Console.WriteLine($"  queued for review: {summary.Count(FeedbackResult.QueuedForReview):N0}");
        Console.WriteLine($"  not positive:      {summary.Count(FeedbackResult.NotPositive):N0}");
        Console.WriteLine($"  no one to tell:    {summary.Count(FeedbackResult.Unrouted):N0}");
        Console.WriteLine($"  duplicates:        {summary.Count(FeedbackResult.Duplicate):N0}");
        Console.WriteLine($"  updated:           {summary.Count(FeedbackResult.Updated):N0}");
        Console.WriteLine($"  withdrawn:         {summary.Count(FeedbackResult.Withdrawn):N0}");
        Console.WriteLine($"  rejected:          {summary.Count(FeedbackResult.Rejected):N0}");
        foreach (var line in summary.RejectedRows.Take(50))
            Console.WriteLine($"    {line}");
        if (summary.RejectedRows.Count > 50)
            Console.WriteLine($"    … and {summary.RejectedRows.Count - 50:N0} more");
        var sent = $"{(dryRun ? "would send" : "sent")}:".PadRight(19);
        Console.WriteLine(relay.Each
            ? $"  {sent}one message per relayed item to its agent and team channel"
            : $"  {sent}{Plural(summary.Sent.People, "summary", "summaries")} to {Plural(summary.Sent.People, "person", "people")}, {Plural(summary.Sent.ChannelPosts, "channel post", "channel posts")}");
        if (relay.SendsSummaries)
            Console.WriteLine($"  from earlier:      {summary.Sent.FromEarlierImport:N0}{(summary.Sent.FromEarlierImport > 0
                ? " (stored by an earlier import of this source that stopped before sending; included in these summaries)"
                : "")}");
        if (dryRun)
            foreach (var message in summary.Sent.Summaries())
                Console.Write(ConsoleTextRenderer.Render(new OutboundMessage(0, message.Target, message.Message, null, 1))
                    .Replace("── outbox message 0 to ", "── would send to ", StringComparison.Ordinal));
    }

    private static string StoredNote(CsvImportRelay relay) => relay.RelaySince switch
    {
        { } since when since == CsvImportRelay.Never => " (--relay-since never)",
        { } since => string.Create(CultureInfo.InvariantCulture, $" (received before {since:yyyy-MM-dd HH:mm} UTC)"),
        null => "",
    };

    private static string Plural(int count, string one, string other) => $"{count:N0} {(count == 1 ? one : other)}";

    /// <summary>
    /// The first Ctrl+C or SIGTERM cancels the import's token instead of ending the process: the import stops
    /// after the batch it is writing and queues the summary of what it stored. A second one ends the process at once (the
    /// next import of the source then sends that summary). System.CommandLine 2.0.0 leaves both signals unhandled.
    /// </summary>
    private sealed class InterruptSignals : IDisposable
    {
        private readonly CancellationTokenSource interrupt;
        private readonly PosixSignalRegistration sigint;
        private readonly PosixSignalRegistration sigterm;

        public InterruptSignals(CancellationTokenSource interrupt)
        {
            this.interrupt = interrupt;
            sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        }

        private void Stop(PosixSignalContext context)
        {
            if (interrupt.IsCancellationRequested)
                return;
            context.Cancel = true;
            Console.Error.WriteLine("Stopping after the batch being written; the summaries of what is stored are being queued (a second Ctrl+C stops at once, "
                + "and the next import of this source sends them).");
            interrupt.Cancel();
        }

        public void Dispose()
        {
            sigint.Dispose();
            sigterm.Dispose();
        }
    }
}
