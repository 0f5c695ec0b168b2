using System.Globalization;
using System.Text.Json;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Core.Tone;

namespace KudosRelay.Core.Escalations;

/// <summary>
/// Asking another department for help from chat (Slack <c>/escalate</c>, Teams <c>escalate</c>): the case, the customer's
/// situation, the department and optionally a person, a note and a day. A submission is checked field by field; a note
/// the tone guard flags comes back with the flagged phrase and a softer version in its place, for the agent to keep or
/// edit; then a preview of what the department will read; Send raises the escalation, once per form (the form's id is
/// the escalation's external id).
/// </summary>
internal sealed class EscalationFormHandler(
    Db db, NudgeAnswerStore answers, DepartmentCalendarStore calendars, RaiseEscalationHandler raise, NudgePreview preview, TimeProvider clock) : IFormHandler
{
    public string FormId => ChatForms.Escalate;

    public const string CaseRef = "case-ref";
    public const string CaseUrl = "case-url";
    public const string Summary = "summary";
    public const string Department = "department";
    public const string Owner = "owner";
    public const string Note = "note";
    public const string Due = "due";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public Task<ChatResponse> OpenAsync(ChatRequest.FormRequested request, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var agent = await PeopleLookup.FindByChatUserAsync(transaction, request.From.Platform, request.From.UserId, cancellationToken);
            if (agent is null)
                return new ChatResponse(Texts(null).Answer("error.requester-unknown"));
            var departments = await answers.DepartmentsAsync(transaction, cancellationToken);
            return new ChatResponse(null, null, EditStep(agent.Locale, departments, new FormValues(), errors: null, tone: null));
        }, cancellationToken);

    public async Task<ChatResponse> SubmitAsync(ChatRequest.FormSubmitted submission, CancellationToken cancellationToken)
    {
        // Read everything first: raising the escalation is a use case with its own transaction.
        var ownerId = submission.Value(Owner);
        var (agent, departments, owner) = await db.InTransactionAsync(async (_, transaction) => (
            await PeopleLookup.FindByChatUserAsync(transaction, submission.From.Platform, submission.From.UserId, cancellationToken),
            await answers.DepartmentsAsync(transaction, cancellationToken),
            ownerId is null ? null : await PeopleLookup.FindByChatUserAsync(transaction, submission.From.Platform, ownerId, cancellationToken)), cancellationToken);
        if (agent is null)
            return new ChatResponse(Texts(null).Answer("error.requester-unknown"));
        var state = Read(submission.State);
        if (state is { Step: Steps.Preview })
            return await SendAsync(submission, agent, departments, state, cancellationToken);

        var values = new FormValues
        {
            CaseRef = submission.Value(CaseRef),
            CaseUrl = submission.Value(CaseUrl),
            Summary = submission.Value(Summary),
            Department = submission.Value(Department),
            OwnerUserId = ownerId,
            OwnerEmail = owner?.Email,
            OwnerName = owner?.DisplayName,
            OwnerPersonId = owner?.Id,
            Note = submission.Value(Note),
            Due = submission.Value(Due),
        };
        var t = Texts(agent.Locale);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        Require(errors, t, CaseRef, values.CaseRef, EscalationChatLimits.CaseRef);
        Require(errors, t, Summary, values.Summary, EscalationChatLimits.Summary);
        Limit(errors, t, CaseUrl, values.CaseUrl, EscalationChatLimits.CaseUrl);
        Limit(errors, t, Note, values.Note, EscalationChatLimits.Note);
        if (values.CaseUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var link) && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp)))
            errors.TryAdd(CaseUrl, t["error.url"]);
        var department = departments.FirstOrDefault(d => d.Key == values.Department);
        if (values.Department is null)
            errors[Department] = t["error.required"];
        else if (department is null)
            errors[Department] = t["error.department-unknown"];
        if (ownerId is not null && owner is null)
            errors[Owner] = t["error.person-unknown"];
        if (values.Due is { } due)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZones.Find(agent.TimeZone)).Date);
            if (!DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                errors[Due] = t["error.required"];
            else if (day < today)
                errors[Due] = t["error.due-past"];
        }
        if (errors.Count > 0)
            return new ChatResponse(null, null, EditStep(agent.Locale, departments, values, errors, tone: null));

        // The raw flagged note is never forwarded: the agent sees why, with a softer version in its place. The version
        // offered and kept goes on as it is, even if the guard would still soften it further.
        if (values.Note is { } note && note != state?.Offered && ToneGuard.Shipped.Check(note, agent.Locale) is { IsFine: false } verdict)
        {
            var phrase = string.Join(", ", verdict.Flags.Select(flag => flag.Phrase).Distinct());
            return new ChatResponse(null, null, EditStep(agent.Locale, departments, values with { Note = verdict.SofterRewrite }, errors: null, tone: phrase, offered: verdict.SofterRewrite));
        }
        var nudge = await preview.DraftAsync(new NudgeDraft(department!.Id, values.OwnerPersonId, agent.Id, values.CaseRef!, values.CaseUrl, values.Summary!, values.Note,
            UseSofterNote: values.Note is not null && values.Note == state?.Offered), cancellationToken);
        return new ChatResponse(null, null, PreviewStep(agent.Locale, department, values, state?.Offered, nudge?.Message));
    }

    private async Task<ChatResponse> SendAsync(ChatRequest.FormSubmitted submission, Person agent, IReadOnlyList<DepartmentChoice> departments, FormState state, CancellationToken cancellationToken)
    {
        var values = state.Values;
        var department = departments.FirstOrDefault(d => d.Key == values.Department);
        if (department is null)
            return new ChatResponse(null, null, EditStep(agent.Locale, departments, values, new Dictionary<string, string> { [Department] = Texts(agent.Locale)["error.department-unknown"] }, tone: null));
        var dueAt = values.Due is { } due && DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? await EndOfWorkingDayAsync(department.Id, day, cancellationToken)
            : (DateTimeOffset?)null;
        // A note is here only as the agent last saw it: fine, or the softer version they were offered and kept.
        var outcome = await raise.RaiseAsync(new RaiseEscalation(
            submission.From.Platform,
            submission.SubmissionId.Length > 0 ? submission.SubmissionId : null,
            values.CaseRef!, values.CaseUrl, values.Summary!, agent.Email, department.Key, values.OwnerEmail, values.Note, dueAt,
            UseSofterNote: values.Note is not null && values.Note == state.Offered), cancellationToken);
        var t = Texts(agent.Locale);
        var invalid = outcome switch
        {
            RaiseOutcome.Invalid bad => bad.Problem,
            RaiseOutcome.Unknown unknown => unknown.Problem,
            _ => null,
        };
        if (invalid is not null)
        {
            var field = invalid.Field switch
            {
                "caseRef" => CaseRef,
                "caseUrl" => CaseUrl,
                "summary" => Summary,
                "department" => Department,
                "owner" => Owner,
                "note" => Note,
                "dueAt" => Due,
                _ => null,
            };
            if (field is not null)
                return new ChatResponse(null, null, EditStep(agent.Locale, departments, values, new Dictionary<string, string> { [field] = t.Format("sent.failed", ("reason", invalid.Reason)) }, tone: null));
            return new ChatResponse(Texts(agent.Locale).Answer("error.requester-unknown"));
        }
        return new ChatResponse(null, null, new ChatForm(FormId, t["form.title"], null,
            [
                new HeadingBlock(t.Format("sent.summary", ("department", department.Name))),
                new TextBlock(t.Format(outcome is RaiseOutcome.Duplicate ? "sent.duplicate" : "sent", ("department", department.Name), ("case", values.CaseRef))),
            ])
        { CloseLabel = t["close.button"] });
    }

    /// <summary>A day given in the form means the end of the department's working hours that day, in its time zone.</summary>
    private Task<DateTimeOffset> EndOfWorkingDayAsync(long departmentId, DateOnly day, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var hours = (await calendars.LoadAsync(transaction, departmentId, cancellationToken))?.Hours;
            var zone = hours?.Zone ?? TimeZoneInfo.Utc;
            var local = day.ToDateTime(TimeOnly.MinValue).AddMinutes(hours?.WorkEndMinute ?? 17 * 60);
            return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
        }, cancellationToken);

    private ChatForm EditStep(string locale, IReadOnlyList<DepartmentChoice> departments, FormValues values, IReadOnlyDictionary<string, string>? errors, string? tone, string? offered = null)
    {
        var t = Texts(locale);
        string? Error(string id) => errors?.GetValueOrDefault(id);
        MessageBlock[] toneNotice = tone is null ? [] :
        [
            new HeadingBlock(t["tone.heading"]),
            new TextBlock(t.Format("tone.flagged", ("phrase", tone))),
            new TextBlock(t["tone.rewrite"]),
        ];
        return new ChatForm(FormId, t["form.title"], t["next.button"],
            [
                .. tone is null ? new MessageBlock[] { new TextBlock(t["form.intro"]) } : toneNotice,
                new InputBlock(CaseRef, t["case-ref.label"]) { Placeholder = t["case-ref.placeholder"], Initial = values.CaseRef, MaxLength = EscalationChatLimits.CaseRef, Error = Error(CaseRef) },
                new InputBlock(CaseUrl, t["case-url.label"], Optional: true) { Placeholder = t["case-url.placeholder"], Initial = values.CaseUrl, MaxLength = EscalationChatLimits.CaseUrl, Error = Error(CaseUrl) },
                new InputBlock(Summary, t["summary.label"], InputKind.LongText) { Placeholder = t["summary.placeholder"], Initial = values.Summary, MaxLength = EscalationChatLimits.Summary, Error = Error(Summary) },
                new InputBlock(Department, t["department.label"], InputKind.Choice)
                {
                    Placeholder = t["department.placeholder"],
                    Options = [.. departments.Select(d => new InputOption(d.Key, d.Name))],
                    Initial = values.Department,
                    Error = Error(Department),
                },
                new InputBlock(Owner, t["owner.label"], InputKind.Person, Optional: true) { Initial = values.OwnerUserId, Error = Error(Owner) },
                new InputBlock(Note, t["note.label"], InputKind.LongText, Optional: true) { Placeholder = t["note.placeholder"], Initial = values.Note, MaxLength = EscalationChatLimits.Note, Error = Error(Note) },
                new InputBlock(Due, t["due.label"], InputKind.Date, Optional: true) { Initial = values.Due, Error = Error(Due) },
            ],
            Write(new FormState(Steps.Edit, new FormValues(), offered)))
        { CloseLabel = t["cancel.button"] };
    }

    /// <summary>
    /// What the department will read, before anything is sent: their first nudge exactly as the sweeper would write it
    /// (without its buttons, which only work on the real one), then who is asked. Send raises it.
    /// </summary>
    private ChatForm PreviewStep(string locale, DepartmentChoice department, FormValues values, string? offered, ChatMessage? nudge)
    {
        var t = Texts(locale);
        var to = values.OwnerName is { } owner ? t.Format("preview.to.owner", ("name", owner)) : t.Format("preview.to.channel", ("department", department.Name));
        MessageBlock[] shown = nudge is null
            ?
            [
                new FactsBlock([
                    new Fact(t["preview.case"], values.CaseRef!),
                    new Fact(t["preview.summary"], values.Summary!),
                    .. values.Note is { } note ? new[] { new Fact(t["preview.note"], note) } : [],
                ]),
            ]
            : [new QuoteBlock(string.Join("\n\n", nudge.Blocks.Select(block => Plain(block, nudge.People)).OfType<string>()), null)];
        return new ChatForm(FormId, t["form.title"], t["send.button"],
            [
                new HeadingBlock(t.Format("preview.heading", ("department", department.Name))),
                .. shown,
                new FactsBlock([
                    new Fact(t["preview.to"], to),
                    .. values.Due is { } due ? new[] { new Fact(t["preview.due"], due) } : [],
                ]),
                new ContextBlock(t["preview.intro"]),
            ],
            Write(new FormState(Steps.Preview, values, offered)))
        { CloseLabel = t["cancel.button"] };
    }

    /// <summary>A block of the previewed nudge as plain text, people by name; its buttons are left out.</summary>
    private static string? Plain(MessageBlock block, IReadOnlyList<ChatPerson> people) => block switch
    {
        HeadingBlock heading => Mention.Plain(heading.Text, people),
        TextBlock text => Mention.Plain(text.Text, people),
        ContextBlock context => Mention.Plain(context.Text, people),
        QuoteBlock quote => quote.Text,
        FactsBlock facts => string.Join("\n", facts.Facts.Select(fact => $"{fact.Label}: {fact.Value}")),
        _ => null,
    };

    private static void Require(Dictionary<string, string> errors, Texts t, string id, string? value, int max)
    {
        if (value is null)
            errors[id] = t["error.required"];
        else
            Limit(errors, t, id, value, max);
    }

    private static void Limit(Dictionary<string, string> errors, Texts t, string id, string? value, int max)
    {
        if (value is { } text && text.Length > max)
            errors[id] = TooLong(t, max);
    }

    public static string TooLong(Texts t, int max) => t.Format("error.too-long", ("max", max));

    private static Texts Texts(string? locale) => AnswerMessages.Texts(locale);

    private static string Write(FormState state) => JsonSerializer.Serialize(state, Json);

    private static FormState? Read(string state)
    {
        if (string.IsNullOrWhiteSpace(state))
            return null;
        try
        {
            return JsonSerializer.Deserialize<FormState>(state, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static class Steps
    {
        public const string Edit = "edit";
        public const string Preview = "preview";
    }

    /// <summary>What travels with the form between steps (Slack keeps it in the modal's <c>private_metadata</c>, Teams in the card).</summary>
    /// <remarks><paramref name="Offered"/>: the softer note the tone guard offered, so that keeping it is not flagged again.</remarks>
    private sealed record FormState(string Step, FormValues Values, string? Offered = null);

    private sealed record FormValues
    {
        public string? CaseRef { get; init; }
        public string? CaseUrl { get; init; }
        public string? Summary { get; init; }
        public string? Department { get; init; }
        public string? OwnerUserId { get; init; }
        public string? OwnerEmail { get; init; }
        public string? OwnerName { get; init; }
        public long? OwnerPersonId { get; init; }
        public string? Note { get; init; }
        public string? Due { get; init; }
    }
}
