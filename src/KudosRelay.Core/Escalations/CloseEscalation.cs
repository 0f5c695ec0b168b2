using System.Data.Common;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Escalations;

internal abstract record CloseOutcome
{
    public sealed record Closed(long Id, string Status) : CloseOutcome;

    public sealed record NotFound : CloseOutcome;

    /// <summary>Resolved or cancelled before: by whom (null when not known) and when.</summary>
    public sealed record AlreadyClosed(string Status, string? By, DateTime At) : CloseOutcome;

    public sealed record Unknown(FieldProblem Problem) : CloseOutcome;
}

/// <summary>
/// Ends an escalation: resolved by someone (the requester hears who, the resolver is thanked) or cancelled.
/// Either way every nudge already sent about it is updated in place, so no buttons are left to press.
/// </summary>
internal sealed class CloseEscalationHandler(Db db, EscalationStore store, OutboxStore outbox, TimeProvider clock)
{
    public Task<CloseOutcome> ResolveAsync(long id, string resolvedByEmail, string? note, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var resolver = await PeopleLookup.FindByEmailAsync(transaction, resolvedByEmail, cancellationToken);
            if (resolver is null)
                return new CloseOutcome.Unknown(new FieldProblem("resolvedBy", $"nobody in the organisation has the e-mail address {resolvedByEmail}"));
            return await ResolveAsync(transaction, id, resolver, note, cancellationToken);
        }, cancellationToken);

    /// <summary>Resolves in the caller's transaction: the "Done" button uses it with the person who pressed it.</summary>
    public async Task<CloseOutcome> ResolveAsync(DbTransaction transaction, long id, Person resolver, string? note, CancellationToken cancellationToken)
    {
        var escalation = await store.GetAsync(transaction, id, cancellationToken);
        if (escalation is null)
            return new CloseOutcome.NotFound();
        if (await AlreadyClosedAsync(transaction, escalation, cancellationToken) is { } closed)
            return closed;

        var now = clock.GetUtcNow();
        var cleanNote = string.IsNullOrWhiteSpace(note) ? null : Kudos.Redactor.Redact(note.Trim());
        await store.SetStatusAsync(transaction, id, EscalationStatus.Resolved, now.UtcDateTime, resolver.Id, cancellationToken);
        if (cleanNote is not null)
            await store.AddEventAsync(transaction, id, EscalationEventKind.Comment, resolver.Id, cleanNote, cancellationToken);

        var department = (await EscalationDepartments.GetAsync(transaction, escalation.DepartmentId, cancellationToken))!;
        var requester = (await PeopleLookup.GetAsync(transaction, escalation.RequesterPersonId, cancellationToken))!;
        var resolved = new ResolvedCase(escalation, resolver, requester, department, cleanNote);
        if (await PersonTargetAsync(transaction, requester.Id, cancellationToken) is { } requesterTarget)
            await outbox.EnqueueAsync(transaction, new OutboxMessage(
                $"escalation:{id}:resolved:requester", requesterTarget, ClosingMessages.ResolvedForRequester(resolved)), cancellationToken);
        if (resolver.Id != requester.Id && await PersonTargetAsync(transaction, resolver.Id, cancellationToken) is { } resolverTarget)
            await outbox.EnqueueAsync(transaction, new OutboxMessage(
                $"escalation:{id}:resolved:resolver", resolverTarget, ClosingMessages.ThanksForResolving(resolved)), cancellationToken);
        await UpdateNudgesInPlaceAsync(transaction, escalation, department,
            locale => ClosingMessages.NudgeResolved(resolved, locale), cancellationToken);
        return new CloseOutcome.Closed(id, EscalationStatus.Resolved);
    }

    public Task<CloseOutcome> CancelAsync(long id, string? byEmail, string? note, CancellationToken cancellationToken) =>
        db.InTransactionAsync<CloseOutcome>(async (_, transaction) =>
        {
            Person? by = null;
            if (byEmail is not null && (by = await PeopleLookup.FindByEmailAsync(transaction, byEmail, cancellationToken)) is null)
                return new CloseOutcome.Unknown(new FieldProblem("cancelledBy", $"nobody in the organisation has the e-mail address {byEmail}"));
            var escalation = await store.GetAsync(transaction, id, cancellationToken);
            if (escalation is null)
                return new CloseOutcome.NotFound();
            if (await AlreadyClosedAsync(transaction, escalation, cancellationToken) is { } closed)
                return closed;

            await store.SetStatusAsync(transaction, id, EscalationStatus.Cancelled, clock.GetUtcNow().UtcDateTime, by?.Id, cancellationToken);
            if (!string.IsNullOrWhiteSpace(note))
                await store.AddEventAsync(transaction, id, EscalationEventKind.Comment, by?.Id, Kudos.Redactor.Redact(note.Trim()), cancellationToken);
            var department = (await EscalationDepartments.GetAsync(transaction, escalation.DepartmentId, cancellationToken))!;
            await UpdateNudgesInPlaceAsync(transaction, escalation, department,
                locale => ClosingMessages.NudgeCancelled(escalation, locale), cancellationToken);
            return new CloseOutcome.Closed(id, EscalationStatus.Cancelled);
        }, cancellationToken);

    private async Task<CloseOutcome.AlreadyClosed?> AlreadyClosedAsync(DbTransaction transaction, Escalation escalation, CancellationToken cancellationToken)
    {
        if (!EscalationStatus.IsClosed(escalation.Status))
            return null;
        var closing = (await store.EventsAsync(transaction, escalation.Id, cancellationToken)).LastOrDefault(e => e.Kind == escalation.Status);
        var by = closing?.ActorPersonId is { } actor ? (await PeopleLookup.GetAsync(transaction, actor, cancellationToken))?.DisplayName : null;
        return new CloseOutcome.AlreadyClosed(escalation.Status, by, closing?.OccurredAt ?? escalation.UpdatedAt);
    }

    /// <summary>Every nudge message sent about the escalation is replaced by <paramref name="closedMessage"/> in its reader's language.</summary>
    private async Task UpdateNudgesInPlaceAsync(DbTransaction transaction, Escalation escalation, EscalationDepartment department,
        Func<string, ChatMessage> closedMessage, CancellationToken cancellationToken)
    {
        foreach (var nudge in await store.NudgesAsync(transaction, escalation.Id, cancellationToken))
        {
            if (nudge.OutboxMessageId is not { } messageId || await TargetOfAsync(transaction, nudge, cancellationToken) is not { } target)
                continue;
            var locale = nudge.RecipientPersonId is { } personId
                ? (await PeopleLookup.GetAsync(transaction, personId, cancellationToken))?.Locale ?? department.Locale
                : department.Locale;
            await outbox.EnqueueAsync(transaction, new OutboxMessage(
                $"escalation:{escalation.Id}:nudge:{nudge.Id}:closed", target, closedMessage(locale), ReplacesMessageId: messageId), cancellationToken);
        }
    }

    /// <summary>Where the nudge went: its channel, or the person on the platform and id it was sent to.</summary>
    private static async Task<ChatTarget?> TargetOfAsync(DbTransaction transaction, Nudge nudge, CancellationToken cancellationToken)
    {
        if (nudge.RecipientPlatform is not { } platform || nudge.RecipientAddress is not { } address)
            return null;
        if (nudge.RecipientKind == NudgeRecipientKind.Channel || nudge.RecipientPersonId is not { } personId)
            return new ChatTarget(platform, ChatTargetKind.Channel, address);
        var identity = (await PeopleLookup.IdentitiesAsync(transaction, personId, cancellationToken))
            .FirstOrDefault(i => i.Platform == platform && i.UserId == address);
        return new ChatTarget(platform, ChatTargetKind.Person, address, identity?.Workspace);
    }

    /// <summary>Where a person reads direct messages: their first chat identity; null when they have none.</summary>
    public static async Task<ChatTarget?> PersonTargetAsync(DbTransaction transaction, long personId, CancellationToken cancellationToken) =>
        await PeopleLookup.IdentitiesAsync(transaction, personId, cancellationToken) is [var identity, ..]
            ? new ChatTarget(identity.Platform, ChatTargetKind.Person, identity.UserId, identity.Workspace)
            : null;
}

/// <summary>An escalation just resolved, with everyone its messages name.</summary>
internal sealed record ResolvedCase(Escalation Escalation, Person Resolver, Person Requester, EscalationDepartment Department, string? Note);
