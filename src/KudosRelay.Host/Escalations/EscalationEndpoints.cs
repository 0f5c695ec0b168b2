using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Host.Intake;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Escalations;

/// <summary>
/// The helpdesk's side of escalations, signed like <c>/api/feedback</c> (the same sources, secrets and headers;
/// a GET signs its empty body): raise one, read its state and history, resolve or cancel it.
/// </summary>
internal static partial class EscalationEndpoints
{
    /// <summary>An escalation is a few short fields; anything near this size is not one.</summary>
    internal const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapEscalations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/escalations", RaiseAsync);
        app.MapGet("/api/escalations/{id:long}", ShowAsync);
        app.MapPost("/api/escalations/{id:long}/resolve", ResolveAsync);
        app.MapPost("/api/escalations/{id:long}/cancel", CancelAsync);
        return app;
    }

    private static async Task<IResult> RaiseAsync(HttpContext context, IOptions<IntakeOptions> options, TimeProvider clock,
        RaiseEscalationHandler handler, CancellationToken cancellationToken)
    {
        var request = await SignedRequest.ReadAsync(context, options.Value, clock, MaxBodyBytes, cancellationToken);
        if (request.Refusal is { } refusal)
            return refusal;
        if (Parse(request.Body, Raise(request.Source!)) is not { } parsed)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a JSON object");
        if (parsed.Problem is { } problem)
            return BadField(problem);

        return await handler.RaiseAsync(parsed.Value!, cancellationToken) switch
        {
            RaiseOutcome.Created created => Results.Json(new
            {
                id = created.Id,
                status = EscalationStatus.Open,
                dueAt = created.DueAt,
                note = DescribeNote(created.Note),
            }, statusCode: StatusCodes.Status201Created),
            RaiseOutcome.Duplicate duplicate => Results.Json(new { id = duplicate.Id, dueAt = duplicate.DueAt, duplicate = true }),
            RaiseOutcome.Invalid invalid => BadField(invalid.Problem),
            RaiseOutcome.Unknown unknown => UnknownField(unknown.Problem),
            var other => throw new InvalidOperationException(other.ToString()),
        };
    }

    private static async Task<IResult> ShowAsync(long id, HttpContext context, IOptions<IntakeOptions> options, TimeProvider clock,
        EscalationStore store, CancellationToken cancellationToken)
    {
        var request = await SignedRequest.ReadAsync(context, options.Value, clock, MaxBodyBytes, cancellationToken);
        if (request.Refusal is { } refusal)
            return refusal;
        return await store.ShowAsync(id, cancellationToken) is { } view ? Results.Json(view) : NotFound(id);
    }

    private static async Task<IResult> ResolveAsync(long id, HttpContext context, IOptions<IntakeOptions> options, TimeProvider clock,
        CloseEscalationHandler handler, CancellationToken cancellationToken)
    {
        var request = await SignedRequest.ReadAsync(context, options.Value, clock, MaxBodyBytes, cancellationToken);
        if (request.Refusal is { } refusal)
            return refusal;
        if (Parse(request.Body, Closing("resolvedBy", required: true)) is not { } parsed)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a JSON object");
        if (parsed.Problem is { } problem)
            return BadField(problem);
        var (by, note) = parsed.Value;
        return Closed(id, await handler.ResolveAsync(id, by!, note, cancellationToken));
    }

    private static async Task<IResult> CancelAsync(long id, HttpContext context, IOptions<IntakeOptions> options, TimeProvider clock,
        CloseEscalationHandler handler, CancellationToken cancellationToken)
    {
        var request = await SignedRequest.ReadAsync(context, options.Value, clock, MaxBodyBytes, cancellationToken);
        if (request.Refusal is { } refusal)
            return refusal;
        // An empty body cancels without saying who or why.
        var parsed = request.Body.Length == 0 ? new Parsed<(string?, string?)>((null, null), null) : Parse(request.Body, Closing("cancelledBy", required: false));
        if (parsed is null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a JSON object");
        if (parsed.Problem is { } problem)
            return BadField(problem);
        var (by, note) = parsed.Value;
        return Closed(id, await handler.CancelAsync(id, by, note, cancellationToken));
    }

    private static IResult Closed(long id, CloseOutcome outcome) => outcome switch
    {
        CloseOutcome.Closed closed => Results.Json(new { id = closed.Id, status = closed.Status }),
        CloseOutcome.NotFound => NotFound(id),
        CloseOutcome.AlreadyClosed already => Results.Problem(statusCode: StatusCodes.Status409Conflict,
            title: $"Escalation {id} is {already.Status} already",
            detail: already.By is null ? $"since {Iso(already.At)}" : $"by {already.By}, {Iso(already.At)}"),
        CloseOutcome.Unknown unknown => UnknownField(unknown.Problem),
        var other => throw new InvalidOperationException(other.ToString()),
    };

    private static object? DescribeNote(NoteCheck note) => note.Verdict is not { } verdict ? null : new
    {
        fine = verdict.IsFine,
        flags = verdict.Flags.Select(flag => new { phrase = flag.Phrase, rule = flag.Rule, suggestion = flag.Suggestion }),
        rewrite = verdict.IsFine ? null : verdict.SofterRewrite,
        forwarded = note.Forwarded is not null,
    };

    private sealed record Parsed<T>(T Value, FieldProblem? Problem);

    private static Parsed<T>? Parse<T>(ReadOnlyMemory<byte> body, Func<JsonElement, Parsed<T>> read)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Func<JsonElement, Parsed<RaiseEscalation?>> Raise(string source) => root =>
    {
        var fields = new JsonFields(root);
        var dueAt = fields.Text("dueAt");
        DateTimeOffset? due = null;
        if (dueAt is not null)
        {
            if (!IsoInstant().IsMatch(dueAt) || !DateTimeOffset.TryParse(dueAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                fields.Fail("dueAt", "must be an ISO 8601 date and time with its offset, such as 2026-12-03T15:00:00+02:00");
            else
                due = parsed;
        }
        var useSofterNote = fields.Flag("useSofterNote");
        var command = new RaiseEscalation(
            source,
            fields.Text("externalId"),
            fields.Text("caseRef") ?? "",
            fields.Text("caseUrl"),
            fields.Text("summary") ?? "",
            fields.Text("requestedBy") ?? "",
            fields.Text("department") ?? "",
            fields.Text("owner"),
            fields.Text("note"),
            due,
            useSofterNote);
        return new(fields.Problem is null ? command : null, fields.Problem);
    };

    private static Func<JsonElement, Parsed<(string? By, string? Note)>> Closing(string byField, bool required) => root =>
    {
        var fields = new JsonFields(root);
        var by = fields.Text(byField);
        var note = fields.Text("note");
        if (required && string.IsNullOrWhiteSpace(by))
            fields.Fail(byField, "is required: the e-mail address of the person who did it");
        if (note is { Length: > RaiseEscalation.MaxNoteLength })
            fields.Fail("note", $"must be at most {RaiseEscalation.MaxNoteLength} characters");
        return new((by, note), fields.Problem);
    };

    /// <summary>Reads optional fields of one JSON object, keeping the first one of the wrong type.</summary>
    private sealed class JsonFields(JsonElement root)
    {
        public FieldProblem? Problem { get; private set; }

        public string? Text(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                return null;
            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(name, "must be a string");
                return null;
            }
            try
            {
                return value.GetString();
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate escape ("\ud800") is valid JSON but no text.
                Fail(name, "is not valid Unicode text");
                return null;
            }
        }

        public bool Flag(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                return false;
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                return value.GetBoolean();
            Fail(name, "must be true or false");
            return false;
        }

        public void Fail(string field, string reason) => Problem ??= new FieldProblem(field, reason);
    }

    private static IResult BadField(FieldProblem problem) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"{problem.Field} {problem.Reason}",
            extensions: new Dictionary<string, object?> { ["field"] = problem.Field });

    private static IResult UnknownField(FieldProblem problem) =>
        Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: $"Unknown {problem.Field}", detail: problem.Reason,
            extensions: new Dictionary<string, object?> { ["field"] = problem.Field });

    private static IResult NotFound(long id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no escalation {id}");

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoInstant();
}

/// <summary>A request from a configured intake source whose signature holds; otherwise the answer that refuses it.</summary>
internal sealed record SignedRequest(string? Source, ReadOnlyMemory<byte> Body, IResult? Refusal)
{
    public static async Task<SignedRequest> ReadAsync(HttpContext context, IntakeOptions options, TimeProvider clock, int maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        using var body = await BoundedBody.ReadAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
        if (body is null)
            return new(null, default, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The body is larger than {maxBytes / 1024} KB"));
        var sourceName = request.Headers["X-KudosRelay-Source"].ToString();
        if (!options.Sources.TryGetValue(sourceName, out var source)
            || !IntakeSignature.IsValid(source.Secret, request.Headers["X-KudosRelay-Timestamp"], request.Headers["X-KudosRelay-Signature"], body.Span, clock.GetUtcNow()))
            return new(null, default, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        return new(SubmitFeedbackHandler.CanonicalSource(sourceName), body.Memory.ToArray(), null);
    }
}
