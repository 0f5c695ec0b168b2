using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using KudosRelay.Core.Kudos;

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

internal sealed record CsvImportSummary(int Rows, IReadOnlyDictionary<string, int> Results, IReadOnlyList<string> RejectedRows, TimeSpan Elapsed)
{
    public int Count(string result) => Results.GetValueOrDefault(result);
}

/// <summary>
/// Streams a CSV file into the same handler the webhook uses, in batches, so a large file never
/// sits in memory and a re-run is harmless: items are unique per source and external id.
/// </summary>
internal sealed class FeedbackCsvImport(SubmitFeedbackHandler handler, TimeProvider clock)
{
    /// <summary>One transaction per 500 rows keeps SQLite commits cheap and a failure's redo small.</summary>
    internal const int BatchSize = 500;

    public async Task<CsvImportSummary> ImportAsync(
        TextReader reader, string source, IEnumerable<string> mappings, string? defaultScale,
        Action<int, TimeSpan>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null, MissingFieldFound = null });
        if (!await csv.ReadAsync() || !csv.ReadHeader())
            throw new CsvImportException("the file is empty: expected a header row");
        var map = CsvFieldMap.From(csv.HeaderRecord!, mappings, defaultScale, out var errors);
        if (errors.Count > 0)
            throw new CsvImportException(string.Join(Environment.NewLine, errors));

        var results = new Dictionary<string, int>();
        var rejected = new List<string>();
        var batch = new List<IncomingFeedback>(BatchSize);
        var rows = 0;
        while (await csv.ReadAsync())
        {
            rows++;
            var check = Row(csv, map).Check(clock.GetUtcNow().UtcDateTime);
            if (check.Item is null)
            {
                Count(results, FeedbackResult.Rejected);
                rejected.Add($"line {csv.Parser.RawRow}: {check.Field}: {check.Reason}");
            }
            else
            {
                batch.Add(check.Item);
            }
            if (batch.Count == BatchSize)
                await FlushAsync(batch, source, results, cancellationToken);
            if (rows % 10_000 == 0)
                progress?.Invoke(rows, started.Elapsed);
        }
        await FlushAsync(batch, source, results, cancellationToken);
        return new CsvImportSummary(rows, results, rejected, started.Elapsed);
    }

    private static RawFeedback Row(CsvReader csv, CsvFieldMap map)
    {
        string? Field(string name) => map.ColumnsByField.TryGetValue(name, out var column) ? csv.GetField(column) : null;
        return new RawFeedback(
            Field("externalId"), Field("receivedAt"),
            Field("ratingScale") is { Length: > 0 } scale ? scale : Field("ratingValue") is { Length: > 0 } ? map.DefaultScale : null,
            Field("ratingValue"), Field("text"), Field("agentEmail"), Field("team"), Field("customerName"), Field("caseRef"), Field("language"));
    }

    private async Task FlushAsync(List<IncomingFeedback> batch, string source, Dictionary<string, int> results, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return;
        foreach (var outcome in await handler.SubmitAsync(source, batch, cancellationToken))
            Count(results, outcome.Result);
        batch.Clear();
    }

    private static void Count(Dictionary<string, int> results, string result) =>
        results[result] = results.GetValueOrDefault(result) + 1;
}

/// <summary>The file cannot be imported at all (no header, unknown mapping); nothing was written.</summary>
internal sealed class CsvImportException(string message) : Exception(message);
