using KudosRelay.Core.Calendar;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Core.Tone;

namespace KudosRelay.Core.Escalations;

/// <summary>
/// An agent asks another department for help on a customer's case, from a helpdesk or from chat.
/// (<paramref name="Source"/>, <paramref name="ExternalId"/>) makes asking twice harmless. With no
/// <paramref name="DueAt"/> the department's SLA is counted in its business hours from now. A
/// <paramref name="Note"/> the tone guard flags is forwarded only as its softer rewrite, and only when
/// <paramref name="UseSofterNote"/> says the agent chose it; otherwise it stays with the agent.
/// </summary>
internal sealed record RaiseEscalation(
    string Source,
    string? ExternalId,
    string CaseRef,
    string? CaseUrl,
    string Summary,
    string RequestedBy,
    string Department,
    string? Owner,
    string? Note,
    DateTimeOffset? DueAt,
    bool UseSofterNote = false)
{
    public const int MaxCaseRefLength = 200;
    public const int MaxCaseUrlLength = 2000;
    public const int MaxSummaryLength = 500;
    public const int MaxNoteLength = 1000;
    public const int MaxExternalIdLength = 200;

    /// <summary>The first field that cannot be used, with why; null when every field can.</summary>
    public FieldProblem? Problem(DateTimeOffset now) =>
        (ExternalId is { Length: 0 or > MaxExternalIdLength } ? new FieldProblem("externalId", $"must be 1 to {MaxExternalIdLength} characters") : null)
        ?? Required(CaseRef, "caseRef", MaxCaseRefLength)
        ?? (CaseUrl is not null && !IsWebLink(CaseUrl) ? new FieldProblem("caseUrl", $"must be an http or https link of at most {MaxCaseUrlLength} characters") : null)
        ?? Required(Summary, "summary", MaxSummaryLength)
        ?? Required(RequestedBy, "requestedBy", 320)
        ?? Required(Department, "department", 200)
        ?? (Owner is { } owner ? Required(owner, "owner", 320) : null)
        ?? (Note is { Length: > MaxNoteLength } ? new FieldProblem("note", $"must be at most {MaxNoteLength} characters") : null)
        ?? (DueAt is { } due && (due < now.AddYears(-1) || due > now.AddYears(1)) ? new FieldProblem("dueAt", "must be within a year of now") : null);

    private static FieldProblem? Required(string value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? new(field, "is required")
        : value.Length > maxLength ? new(field, $"must be at most {maxLength} characters")
        : null;

    private static bool IsWebLink(string value) =>
        value.Length <= MaxCaseUrlLength
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

/// <summary>A request field that cannot be used (the answer is 400), or that names someone or something unknown (422).</summary>
internal sealed record FieldProblem(string Field, string Reason);

internal abstract record RaiseOutcome
{
    /// <summary>Opened now. <paramref name="Note"/> is what happened to the agent's note.</summary>
    public sealed record Created(long Id, DateTimeOffset DueAt, NoteCheck Note) : RaiseOutcome;

    /// <summary>The source raised this external id before: nothing new was opened.</summary>
    public sealed record Duplicate(long Id, DateTimeOffset DueAt) : RaiseOutcome;

    public sealed record Invalid(FieldProblem Problem) : RaiseOutcome;

    /// <summary>A person or department the organisation does not know.</summary>
    public sealed record Unknown(FieldProblem Problem) : RaiseOutcome;
}

/// <summary>The tone guard's verdict on the agent's note and the text forwarded to the department (null: none).</summary>
internal sealed record NoteCheck(ToneVerdict? Verdict, string? Forwarded)
{
    public static readonly NoteCheck None = new(null, null);

    public static NoteCheck Of(string? note, string? locale, bool useSofterNote)
    {
        if (string.IsNullOrWhiteSpace(note))
            return None;
        var verdict = ToneGuard.Shipped.Check(note, locale);
        return new(verdict, verdict.IsFine ? note : useSofterNote ? verdict.SofterRewrite : null);
    }
}

internal sealed class RaiseEscalationHandler(Db db, EscalationStore store, DepartmentCalendarStore calendars, TimeProvider clock)
{
    public Task<RaiseOutcome> RaiseAsync(RaiseEscalation command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (command.Problem(now) is { } problem)
            return Task.FromResult<RaiseOutcome>(new RaiseOutcome.Invalid(problem));
        return db.InTransactionAsync<RaiseOutcome>(async (_, transaction) =>
        {
            if (command.ExternalId is { } externalId
                && await store.FindByExternalIdAsync(transaction, command.Source, externalId, cancellationToken) is { } existing)
                return new RaiseOutcome.Duplicate(existing.Id, Utc(existing.DueAt));

            var requester = await PeopleLookup.FindByEmailAsync(transaction, command.RequestedBy, cancellationToken);
            if (requester is null)
                return Unknown("requestedBy", $"nobody in the organisation has the e-mail address {command.RequestedBy}");
            var department = await EscalationDepartments.FindByKeyAsync(transaction, command.Department, cancellationToken);
            if (department is null)
                return Unknown("department", $"there is no department with the key {command.Department}");
            Person? owner = null;
            if (command.Owner is { } ownerEmail && (owner = await PeopleLookup.FindByEmailAsync(transaction, ownerEmail, cancellationToken)) is null)
                return Unknown("owner", $"nobody in the organisation has the e-mail address {ownerEmail}");

            var dueAt = command.DueAt?.ToUniversalTime()
                ?? (await calendars.LoadAsync(transaction, department.Id, cancellationToken))!.DueAt(now);
            var note = NoteCheck.Of(command.Note, requester.Locale, command.UseSofterNote);
            var escalation = new NewEscalation(command.CaseRef.Trim(), Redactor.Redact(command.Summary.Trim()), requester.Id, department.Id, owner?.Id, dueAt.UtcDateTime)
            {
                Source = command.Source,
                ExternalId = command.ExternalId,
                CaseUrl = command.CaseUrl,
                Note = note.Forwarded is { } forwarded ? Redactor.Redact(forwarded) : null,
                // The sweeper decides the first stage (a heads-up or the nudge at due) on its next pass.
                NextNudgeAt = now.UtcDateTime,
            };
            // Two requests with one external id at once: the unique key lets one in, and the other answers with it.
            var id = await db.UnlessDuplicateAsync<long?>(async () => await store.CreateAsync(transaction, escalation, cancellationToken), null);
            if (id is null)
            {
                var first = await store.FindByExternalIdAsync(transaction, command.Source, command.ExternalId!, cancellationToken);
                return new RaiseOutcome.Duplicate(first!.Id, Utc(first.DueAt));
            }
            return new RaiseOutcome.Created(id.Value, dueAt, note);
        }, cancellationToken);
    }

    private static RaiseOutcome.Unknown Unknown(string field, string reason) => new(new FieldProblem(field, reason));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
