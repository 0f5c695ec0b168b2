using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Escalations;

/// <summary>
/// An escalation as the chat form has it before it is raised: the department, the owner if any, the agent, the case and
/// the agent's note as the agent chose to forward it (see <see cref="NoteCheck"/>).
/// </summary>
internal sealed record NudgeDraft(
    long DepartmentId, long? OwnerPersonId, long RequesterPersonId, string CaseRef, string? CaseUrl, string Summary, string? Note, bool UseSofterNote = false);

/// <summary>
/// The nudge the other department will read next: its <paramref name="Stage"/>, when it goes (<paramref name="At"/>, not
/// before the reader's working hours), who reads it (<paramref name="RecipientKind"/>: a person, a channel, the lead) and
/// in which language.
/// </summary>
internal sealed record PreviewedNudge(ChatMessage Message, string Stage, DateTimeOffset At, string RecipientKind, string Language);

/// <summary>
/// What the other department will read, built exactly as the sweeper builds it: for a raised escalation, its next nudge;
/// for a draft (the chat form's preview step), the first nudge it would get at its due time.
/// </summary>
internal sealed class NudgePreview(Db db, NudgeSweepStore store, Calendar.DepartmentCalendarStore calendars, TimeProvider clock)
{
    /// <summary>The next nudge of escalation <paramref name="id"/>; null when there is no such escalation or nothing more will be sent.</summary>
    public Task<PreviewedNudge?> NextAsync(long id, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var now = clock.GetUtcNow();
            if (await store.GetAsync(transaction, id, cancellationToken) is not { } escalation)
                return null;
            var context = await NudgeRecipients.LoadAsync(store, calendars, transaction, now, [escalation], cancellationToken);
            if (!context.Hours.TryGetValue(escalation.DepartmentId, out var department))
                return null;
            if (escalation.IsClosed)
                return null;
            var sent = await store.SentInRoundAsync(transaction, id, escalation.Round, cancellationToken);
            var step = NudgeSchedule.For(department).Next(escalation.History([.. sent.Select(n => n.ToSent())]), now);
            return step is null ? null : Build(context, escalation, step.Stage, step.At > now ? step.At : now);
        }, cancellationToken);

    /// <summary>The first nudge a draft would get (at its due time, to the owner or else the department's channel); null for an unknown department or nobody to ask.</summary>
    public Task<PreviewedNudge?> DraftAsync(NudgeDraft draft, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var now = clock.GetUtcNow();
            var requester = await People.PeopleLookup.GetAsync(transaction, draft.RequesterPersonId, cancellationToken);
            var note = NoteCheck.Of(draft.Note, requester?.Locale, draft.UseSofterNote).Forwarded;
            var escalation = new DueEscalation
            {
                CaseRef = draft.CaseRef.Trim(),
                CaseUrl = draft.CaseUrl,
                Summary = Redactor.Redact(draft.Summary.Trim()),
                Note = note is null ? null : Redactor.Redact(note),
                RequesterId = draft.RequesterPersonId,
                DepartmentId = draft.DepartmentId,
                OwnerId = draft.OwnerPersonId,
                Status = EscalationStatus.Open,
                CreatedAt = now.UtcDateTime,
            };
            var context = await NudgeRecipients.LoadAsync(store, calendars, transaction, now, [escalation], cancellationToken);
            if (!context.Hours.TryGetValue(draft.DepartmentId, out var department))
                return null;
            var due = department.DueAt(now);
            return Build(context, escalation with { DueAt = due.UtcDateTime }, NudgeStages.Due, due);
        }, cancellationToken);

    private static PreviewedNudge? Build(NudgeRecipients context, DueEscalation escalation, string stage, DateTimeOffset at)
    {
        var kind = NudgeMessages.KindOf(stage);
        if (context.RecipientOf(escalation, kind) is not { } recipient)
            return null;
        // Not before the reader's working hours, as the sweeper would hold it.
        var sentAt = recipient.Calendar.NextWorkingMoment(at);
        var nudge = new NudgeCase(
            escalation.Id, kind, stage, escalation.CaseRef, escalation.CaseUrl, escalation.Summary,
            context.People.GetValueOrDefault(escalation.RequesterId)?.DisplayName ?? "", escalation.Note, Utc(escalation.CreatedAt));
        var department = context.Departments[escalation.DepartmentId];
        return new PreviewedNudge(
            NudgeMessages.Nudge(recipient.Reader, department.Name, [nudge], sentAt),
            stage,
            sentAt,
            recipient.Kind,
            Language.MessageCatalogue.Shipped.LanguageOf(recipient.Reader.Locale));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
