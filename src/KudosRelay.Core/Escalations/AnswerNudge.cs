using System.Data.Common;
using System.Globalization;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Escalations;

/// <summary>
/// The one-click answers on a nudge: I'm on it, Snooze (an hour, or until the clicker's next working morning), Done (with
/// an optional note) and Not ours (another department, with a reason). Each answer is an event in the history with the
/// clicker as its actor; the pressed message and every other copy of the escalation's nudges are updated in place, so no
/// stale buttons remain. A press on a message that was answered since gets a kind "already handled by … ".
/// </summary>
internal sealed class AnswerNudgeHandler(
    Db db, EscalationStore escalations, NudgeAnswerStore answers, OutboxStore outbox, DepartmentCalendarStore calendars,
    CloseEscalationHandler closer, TimeProvider clock) : IButtonHandler
{
    public string ActionPrefix => AnswerButtons.Prefix;

    public async Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken)
    {
        if (!TryParsePayload(button.Payload, out var id, out var version))
            return new ChatResponse(ConversationMessages.ButtonNoLongerActive(await PeopleLookup.LocaleOfAsync(db, button.From.Platform, button.From.UserId, cancellationToken)));
        if (button.ActionId == AnswerButtons.DoneConfirm)
            return await ResolveAsync(button, id, version, cancellationToken);
        return await db.InTransactionAsync(async (_, transaction) =>
        {
            var context = await LoadAsync(transaction, button, id, version, cancellationToken);
            if (context.Early is { } early)
                return early;
            var (person, escalation, last) = (context.Person!, context.Escalation!, context.Last);
            var current = last?.EventId ?? 0;
            return button.ActionId switch
            {
                NudgeButtons.OnIt => await AcknowledgeAsync(transaction, button.From, person, escalation, cancellationToken),
                NudgeButtons.SnoozeHour => await SnoozeAsync(transaction, button.From, person, escalation, clock.GetUtcNow().AddHours(1), cancellationToken),
                NudgeButtons.SnoozeTomorrow => await SnoozeUntilTomorrowAsync(transaction, button.From, person, escalation, cancellationToken),
                NudgeButtons.Done => new ChatResponse(null, AnswerMessages.DoneStep(escalation, person.Locale,
                    (await PeopleLookup.GetAsync(transaction, escalation.RequesterPersonId, cancellationToken))?.FirstName ?? "", current)),
                NudgeButtons.NotOurs => new ChatResponse(null, AnswerMessages.NotOursStep(escalation, person.Locale, await answers.DepartmentsAsync(transaction, cancellationToken), current)),
                AnswerButtons.Reroute => await RerouteAsync(transaction, person, escalation, current, button, cancellationToken),
                AnswerButtons.Back => new ChatResponse(null, await BackAsync(transaction, button.From, person, escalation, last, cancellationToken)),
                _ => new ChatResponse(ConversationMessages.ButtonNoLongerActive(person.Locale)),
            };
        }, cancellationToken);
    }

    /// <summary>"42" from a nudge, "42:17" from a card this handler wrote (17: the answer it showed; 0 before any).</summary>
    private static bool TryParsePayload(string payload, out long id, out long? version)
    {
        var parts = payload.Split(':');
        version = null;
        if (parts.Length is 0 or > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            id = 0;
            return false;
        }
        if (parts.Length == 2)
        {
            if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var shown))
                return false;
            version = shown;
        }
        return true;
    }

    private sealed record PressContext(Person? Person, AnsweredEscalation? Escalation, LastAnswer? Last, ChatResponse? Early);

    /// <summary>Who pressed, on what, and whether the message they pressed on is still the latest word; otherwise the answer to give at once.</summary>
    private async Task<PressContext> LoadAsync(DbTransaction transaction, ChatRequest.ButtonPressed button, long id, long? version, CancellationToken cancellationToken)
    {
        var person = await PeopleLookup.FindByChatUserAsync(transaction, button.From.Platform, button.From.UserId, cancellationToken);
        if (person is null)
            return new PressContext(null, null, null, new ChatResponse(ConversationMessages.NotKnownYet(null)));
        var escalation = await answers.FindAsync(transaction, id, cancellationToken);
        if (escalation is null)
            return new PressContext(person, null, null, new ChatResponse(ConversationMessages.ButtonNoLongerActive(person.Locale)));
        var last = await answers.LastAnswerAsync(transaction, id, cancellationToken);
        var stale = escalation.IsClosed
            || (version is { } shown ? shown != (last?.EventId ?? 0) : last is not null && await AnsweredSinceLastNudgeAsync(transaction, id, last, cancellationToken));
        if (!stale)
            return new PressContext(person, escalation, last, null);
        return new PressContext(person, escalation, last, new ChatResponse(await AlreadyHandledAsync(transaction, person, last, cancellationToken)));
    }

    /// <summary>A nudge's own buttons are current until someone answers after it was sent (a new round's nudge comes after the reroute).</summary>
    private async Task<bool> AnsweredSinceLastNudgeAsync(DbTransaction transaction, long id, LastAnswer last, CancellationToken cancellationToken) =>
        await answers.LastNudgeSentAtAsync(transaction, id, cancellationToken) is not { } sent || last.OccurredAt >= sent;

    private async Task<ChatMessage> AlreadyHandledAsync(DbTransaction transaction, Person reader, LastAnswer? last, CancellationToken cancellationToken)
    {
        var actor = last?.ActorPersonId is { } actorId ? await PeopleLookup.GetAsync(transaction, actorId, cancellationToken) : null;
        var when = last is null ? "" : Moments.Describe(Utc(last.OccurredAt), clock.GetUtcNow(), TimeZones.Find(reader.TimeZone), reader.Locale);
        return AnswerMessages.AlreadyHandled(reader.Locale, actor?.DisplayName, when);
    }

    private async Task<ChatResponse> AcknowledgeAsync(DbTransaction transaction, ChatUser presser, Person person, AnsweredEscalation escalation, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hours = await calendars.LoadAsync(transaction, escalation.DepartmentId, cancellationToken);
        // The grace period of the department's nudge policy (a working day unless the org file says otherwise), in its business hours.
        var rest = hours is null ? now.AddDays(1) : hours.Calendar.Add(now, hours.Nudges.Grace.In(hours.Hours));
        await answers.AcknowledgeAsync(transaction, escalation.Id, now.UtcDateTime, rest.UtcDateTime, cancellationToken);
        var eventId = await escalations.AddEventAsync(transaction, escalation.Id, EscalationStatus.Acknowledged, person.Id, null, cancellationToken);
        return await AnsweredAsync(transaction, presser, person, escalation with { Status = EscalationStatus.Acknowledged }, eventId,
            (locale, zone) => AnswerMessages.Status(locale, "status.acknowledged", ("name", person.DisplayName), ("when", Moments.Describe(rest, now, zone, locale))),
            cancellationToken);
    }

    /// <summary>"Until tomorrow morning": the start of the clicker's next working day, their department's hours on their own wall clock.</summary>
    private async Task<ChatResponse> SnoozeUntilTomorrowAsync(DbTransaction transaction, ChatUser presser, Person person, AnsweredEscalation escalation, CancellationToken cancellationToken)
    {
        var zone = TimeZones.Find(person.TimeZone);
        var hours = await calendars.LoadAsync(transaction, escalation.DepartmentId, cancellationToken);
        var calendar = new BusinessCalendar(hours?.Hours.InZone(zone) ?? new BusinessHours(zone, 9 * 60, 17 * 60, [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], []));
        return await SnoozeAsync(transaction, presser, person, escalation, calendar.NextWorkingDayStart(clock.GetUtcNow()), cancellationToken);
    }

    private async Task<ChatResponse> SnoozeAsync(DbTransaction transaction, ChatUser presser, Person person, AnsweredEscalation escalation, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await escalations.SnoozeAsync(transaction, escalation.Id, until.UtcDateTime, now.UtcDateTime, person.Id, cancellationToken);
        await escalations.SetNextNudgeAsync(transaction, escalation.Id, until.UtcDateTime, cancellationToken);
        var last = await answers.LastAnswerAsync(transaction, escalation.Id, cancellationToken);
        return await AnsweredAsync(transaction, presser, person, escalation with { Status = EscalationStatus.Snoozed, SnoozedUntil = until.UtcDateTime }, last!.EventId,
            (locale, zone) => AnswerMessages.Status(locale, "status.snoozed", ("name", person.DisplayName), ("when", Moments.Describe(until, now, zone, locale))),
            cancellationToken);
    }

    private async Task<ChatResponse> RerouteAsync(DbTransaction transaction, Person person, AnsweredEscalation escalation, long current, ChatRequest.ButtonPressed button, CancellationToken cancellationToken)
    {
        var departments = await answers.DepartmentsAsync(transaction, cancellationToken);
        var key = button.Input(AnswerButtons.DepartmentInput);
        var reason = button.Input(AnswerButtons.ReasonInput);
        var target = departments.FirstOrDefault(d => d.Key == key);
        var t = AnswerMessages.Texts(person.Locale);
        var departmentError = key is null || target is null ? t["not-ours.department-missing"]
            : target.Id == escalation.DepartmentId ? t["not-ours.same-department"] : null;
        var reasonError = reason is null ? t["not-ours.reason-missing"] : reason.Length > EscalationChatLimits.Note ? EscalationFormHandler.TooLong(t, EscalationChatLimits.Note) : null;
        if (departmentError is not null || reasonError is not null)
            return new ChatResponse(null, AnswerMessages.NotOursStep(escalation, person.Locale, departments, current, key, reason, departmentError, reasonError));

        var now = clock.GetUtcNow();
        await answers.RerouteAsync(transaction, escalation.Id, target!.Id, now.UtcDateTime, cancellationToken);
        var note = $"{target.Key}: {reason}";
        var eventId = await escalations.AddEventAsync(transaction, escalation.Id, EscalationStatus.Rerouted, person.Id, note, cancellationToken);

        // The requesting agent hears where their case went, and why.
        if (await PeopleLookup.GetAsync(transaction, escalation.RequesterPersonId, cancellationToken) is { } requester
            && (await PeopleLookup.IdentitiesAsync(transaction, requester.Id, cancellationToken)) is { Count: > 0 } identities)
        {
            var identity = identities.FirstOrDefault(i => i.Platform == button.From.Platform) ?? identities[0];
            await outbox.EnqueueAsync(transaction, new OutboxMessage(
                $"escalation:{escalation.Id}:rerouted:{eventId}:requester",
                new ChatTarget(identity.Platform, ChatTargetKind.Person, identity.UserId, identity.Workspace),
                AnswerMessages.ReroutedToRequester(requester.Locale, escalation, person.DisplayName, escalation.DepartmentName, target.Name, reason!)), cancellationToken);
        }
        return await AnsweredAsync(transaction, button.From, person, escalation with { Status = EscalationStatus.Rerouted }, eventId,
            (locale, _) => AnswerMessages.Status(locale, "status.rerouted", ("name", person.DisplayName), ("department", target.Name), ("reason", reason)),
            cancellationToken);
    }

    /// <summary>Done: resolved through the close use case in this transaction, which thanks both sides and updates every nudge in place.</summary>
    private Task<ChatResponse> ResolveAsync(ChatRequest.ButtonPressed button, long id, long? version, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var context = await LoadAsync(transaction, button, id, version, cancellationToken);
            if (context.Early is { } early)
                return early;
            var (person, escalation) = (context.Person!, context.Escalation!);
            var note = button.Input(AnswerButtons.NoteInput);
            if (note is { Length: > EscalationChatLimits.Note })
            {
                var tooLong = EscalationFormHandler.TooLong(AnswerMessages.Texts(person.Locale), EscalationChatLimits.Note);
                var requester = await PeopleLookup.GetAsync(transaction, escalation.RequesterPersonId, cancellationToken);
                return new ChatResponse(new ChatMessage(tooLong, [new TextBlock(tooLong)]),
                    AnswerMessages.DoneStep(escalation, person.Locale, requester?.FirstName ?? "", version ?? 0, note));
            }
            if (await closer.ResolveAsync(transaction, id, person, note, cancellationToken) is not CloseOutcome.Closed)
                return new ChatResponse(await AlreadyHandledAsync(transaction, person, await answers.LastAnswerAsync(transaction, id, cancellationToken), cancellationToken));
            var resolved = await answers.LastAnswerAsync(transaction, id, cancellationToken);
            var when = Moments.Describe(clock.GetUtcNow(), clock.GetUtcNow(), TimeZones.Find(person.TimeZone), person.Locale);
            var view = new AnswerCardView(escalation with { Status = EscalationStatus.Resolved }, person.Locale,
                ResolvedLine(person.Locale, person.DisplayName, note, when), resolved?.EventId ?? 0);
            // The close use case updates every copy through the outbox; the pressed one changes at once.
            return new ChatResponse(null, Pressed(await answers.CopiesAsync(transaction, id, cancellationToken), button.From) is { } pressed
                ? AnswerMessages.Updated(pressed.Shows, view)
                : AnswerMessages.Card(view));
        }, cancellationToken);

    private static string ResolvedLine(string? locale, string name, string? note, string when) => note is { Length: > 0 }
        ? AnswerMessages.Status(locale, "status.resolved-with-note", ("name", name), ("when", when), ("note", note))
        : AnswerMessages.Status(locale, "status.resolved", ("name", name), ("when", when));

    /// <summary>Back from the Done or Not-ours step: the card as it stood (the nudge's buttons when nobody has answered yet).</summary>
    private async Task<ChatMessage> BackAsync(DbTransaction transaction, ChatUser presser, Person person, AnsweredEscalation escalation, LastAnswer? last, CancellationToken cancellationToken)
    {
        if (Pressed(await answers.CopiesAsync(transaction, escalation.Id, cancellationToken), presser) is { } pressed)
            return pressed.Shows;
        var zone = TimeZones.Find(person.TimeZone);
        var line = await StatusLineAsync(transaction, escalation, last, person.Locale, zone, cancellationToken);
        // Nobody has answered in this round yet: the card offers every answer, as the nudge did.
        var open = last is null || last.Kind == EscalationStatus.Rerouted ? escalation with { Status = EscalationStatus.Open } : escalation;
        return AnswerMessages.Card(new AnswerCardView(open, person.Locale, line, last?.EventId ?? 0));
    }

    private async Task<string> StatusLineAsync(DbTransaction transaction, AnsweredEscalation escalation, LastAnswer? last, string locale, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var actor = last?.ActorPersonId is { } actorId ? await PeopleLookup.GetAsync(transaction, actorId, cancellationToken) : null;
        var now = clock.GetUtcNow();
        return (last?.Kind, actor) switch
        {
            (EscalationStatus.Acknowledged, { } who) => AnswerMessages.Status(locale, "status.acknowledged", ("name", who.DisplayName),
                ("when", Moments.Describe(Utc(last!.OccurredAt), now, zone, locale))),
            (EscalationStatus.Snoozed, { } who) when escalation.SnoozedUntil is { } until => AnswerMessages.Status(locale, "status.snoozed", ("name", who.DisplayName),
                ("when", Moments.Describe(Utc(until), now, zone, locale))),
            _ => AnswerMessages.Texts(locale).Format("card.summary", ("case", escalation.CaseRef), ("summary", escalation.Summary)),
        };
    }

    /// <summary>
    /// The answer is recorded: every copy of the escalation's nudges is replaced through the outbox (in its reader's
    /// language and time zone), and the pressed message at once through the response.
    /// </summary>
    private async Task<ChatResponse> AnsweredAsync(
        DbTransaction transaction, ChatUser presser, Person person, AnsweredEscalation escalation, long eventId, Func<string, TimeZoneInfo, string> statusLine, CancellationToken cancellationToken)
    {
        var departmentZone = (await calendars.LoadAsync(transaction, escalation.DepartmentId, cancellationToken))?.Hours.Zone ?? TimeZoneInfo.Utc;
        var copies = await answers.CopiesAsync(transaction, escalation.Id, cancellationToken);
        foreach (var copy in copies)
        {
            var reader = copy.Target.Kind == ChatTargetKind.Person
                ? await PeopleLookup.FindByChatUserAsync(transaction, copy.Target.Platform, copy.Target.Address, cancellationToken)
                : null;
            var locale = reader?.Locale ?? escalation.DepartmentLocale ?? MessageCatalogue.English;
            var zone = reader is null ? departmentZone : TimeZones.Find(reader.TimeZone);
            await outbox.EnqueueAsync(transaction, new OutboxMessage(
                $"escalation:{escalation.Id}:answer:{eventId}:nudge:{copy.NudgeId}", copy.Target,
                AnswerMessages.Updated(copy.Shows, new AnswerCardView(escalation, locale, statusLine(locale, zone), eventId)),
                ReplacesMessageId: copy.OutboxMessageId), cancellationToken);
        }
        var view = new AnswerCardView(escalation, person.Locale, statusLine(person.Locale, TimeZones.Find(person.TimeZone)), eventId);
        return new ChatResponse(null, Pressed(copies, presser) is { } pressed ? AnswerMessages.Updated(pressed.Shows, view) : AnswerMessages.Card(view));
    }

    /// <summary>
    /// The copy the press most likely came from, as platforms do not all say which message a button was on: the
    /// presser's own direct message, else one on their platform, else any.
    /// </summary>
    private static NudgeCopy? Pressed(IReadOnlyList<NudgeCopy> copies, ChatUser presser) =>
        copies.LastOrDefault(c => c.Target.Kind == ChatTargetKind.Person && c.Target.Platform == presser.Platform && c.Target.Address == presser.UserId)
        ?? copies.LastOrDefault(c => c.Target.Platform == presser.Platform)
        ?? (copies.Count > 0 ? copies[^1] : null);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
