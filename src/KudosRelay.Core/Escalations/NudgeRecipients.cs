using System.Data.Common;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Escalations;

/// <summary>
/// Who reads a nudge and where: <see cref="Key"/> groups escalations into one message; <see cref="Calendar"/> is the
/// department's hours on the reader's own clock (a person's zone; the department's own for its channel).
/// </summary>
internal sealed record NudgeRecipient(string Key, string Kind, long? PersonId, ChatTarget Target, NudgeReader Reader, BusinessCalendar Calendar);

/// <summary>
/// Who is asked about each escalation, from what one read of the organisation says: departments with their hours,
/// policies and channels, the people involved and their chat identities.
/// </summary>
internal sealed class NudgeRecipients(
    DateTimeOffset now,
    IReadOnlyDictionary<long, SweepDepartment> departments,
    IReadOnlyDictionary<long, DepartmentHours> hours,
    IReadOnlyDictionary<long, Person> people,
    ILookup<long, PersonIdentity> identities)
{
    private readonly Dictionary<(long Department, string Zone), BusinessCalendar> calendars = [];

    public DateTimeOffset Now { get; } = now;

    public IReadOnlyDictionary<long, SweepDepartment> Departments { get; } = departments;

    public IReadOnlyDictionary<long, Person> People { get; } = people;

    public IReadOnlyDictionary<long, DepartmentHours> Hours { get; } = hours;

    /// <summary>Reads what deciding about <paramref name="escalations"/> takes, in the caller's transaction.</summary>
    public static async Task<NudgeRecipients> LoadAsync(
        NudgeSweepStore store, DepartmentCalendarStore calendars, DbTransaction transaction, DateTimeOffset now,
        IReadOnlyList<DueEscalation> escalations, CancellationToken cancellationToken)
    {
        var departments = await store.DepartmentsAsync(transaction, cancellationToken);
        var hours = await calendars.LoadAllAsync(transaction, cancellationToken);
        var people = await store.PeopleAsync(transaction,
            escalations.SelectMany(e => new[] { e.RequesterId, e.OwnerId ?? 0, departments.GetValueOrDefault(e.DepartmentId)?.LeadId ?? 0 }).Where(id => id != 0),
            cancellationToken);
        var identities = await store.IdentitiesAsync(transaction,
            escalations.SelectMany(e => new[] { e.OwnerId ?? 0, departments.GetValueOrDefault(e.DepartmentId)?.LeadId ?? 0 }).Where(id => id != 0), cancellationToken);
        return new NudgeRecipients(now, departments, hours, people, identities);
    }

    public BusinessCalendar DepartmentCalendar(long departmentId) => Hours[departmentId].Calendar;

    /// <summary>
    /// The owner by direct message, else the department's channel; the lead for the lead's note. Never the agent who
    /// asked: an owner who is the requester counts as no owner. Null when there is nobody to ask.
    /// </summary>
    public NudgeRecipient? RecipientOf(DueEscalation escalation, NudgeKind kind)
    {
        var department = Departments.GetValueOrDefault(escalation.DepartmentId);
        if (department is null)
            return null;
        if (kind == NudgeKind.Lead)
            return department.LeadId is { } leadId && leadId != escalation.RequesterId ? PersonRecipient(escalation, leadId, NudgeRecipientKind.Lead, NudgeAudience.Lead) : null;
        if (escalation.OwnerId is { } ownerId && ownerId != escalation.RequesterId
            && PersonRecipient(escalation, ownerId, NudgeRecipientKind.Person, NudgeAudience.Owner) is { } owner)
            return owner;
        if (department.Channels is not [var channel, ..])
            return null;
        var zone = Hours[department.Id].Hours.Zone;
        return new NudgeRecipient(
            $"channel:{channel.Platform}:{channel.ChannelId}",
            NudgeRecipientKind.Channel,
            null,
            new ChatTarget(channel.Platform, ChatTargetKind.Channel, channel.ChannelId),
            new NudgeReader(NudgeAudience.Channel, department.Name, department.Locale, zone),
            DepartmentCalendar(department.Id));
    }

    private NudgeRecipient? PersonRecipient(DueEscalation escalation, long personId, string kind, NudgeAudience audience)
    {
        if (!People.TryGetValue(personId, out var person) || identities[personId].FirstOrDefault() is not { } identity)
            return null;
        var zone = TimeZones.Find(person.TimeZone);
        return new NudgeRecipient(
            // A lead's note and an owner's nudge are different messages even to one person.
            $"{kind}:{personId}:{escalation.DepartmentId}",
            kind,
            personId,
            new ChatTarget(identity.Platform, ChatTargetKind.Person, identity.UserId, identity.Workspace),
            new NudgeReader(audience, person.FirstName, person.Locale, zone),
            CalendarFor(escalation.DepartmentId, zone));
    }

    private BusinessCalendar CalendarFor(long departmentId, TimeZoneInfo zone)
    {
        if (!calendars.TryGetValue((departmentId, zone.Id), out var calendar))
            calendars[(departmentId, zone.Id)] = calendar = new BusinessCalendar(Hours[departmentId].Hours.InZone(zone));
        return calendar;
    }
}
