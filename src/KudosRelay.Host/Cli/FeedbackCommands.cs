using System.CommandLine;
using KudosRelay.Core.Kudos;
using KudosRelay.Host.Intake;

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
        var command = new Command("import", "Import feedback from a CSV file; positive items are relayed like webhook items.") { file, source, map, scale };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"{path.FullName} does not exist.");
                return KudosRelayCli.Failed;
            }
            var importer = new FeedbackCsvImport(app.Services.GetRequiredService<SubmitFeedbackHandler>(), app.Services.GetRequiredService<TimeProvider>());
            using var reader = new StreamReader(path.FullName);
            CsvImportSummary summary;
            try
            {
                summary = await importer.ImportAsync(reader, result.GetValue(source)!, result.GetValue(map) ?? [], result.GetValue(scale),
                    (rows, elapsed) => Console.Error.WriteLine($"… {rows:N0} rows ({rows / Math.Max(elapsed.TotalSeconds, 0.001):N0} rows/s)"),
                    cancellationToken);
            }
            catch (CsvImportException exception)
            {
                Console.Error.WriteLine($"{path.Name} was not imported; nothing was written:{Environment.NewLine}{exception.Message}");
                return KudosRelayCli.Failed;
            }
            Print(path.Name, summary);
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static void Print(string name, CsvImportSummary summary)
    {
        Console.WriteLine($"Imported {name}: {summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:N1} s");
        Console.WriteLine($"  relayed:           {summary.Count(FeedbackResult.Relayed):N0}");
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
    }
}
