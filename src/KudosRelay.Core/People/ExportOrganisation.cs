using KudosRelay.Core.Storage;

namespace KudosRelay.Core.People;

/// <summary>
/// Writes the whole organisation as an org file (YAML or JSON) that imports back to the same state.
/// Entries are sorted (people by e-mail, the rest by key or name) so that two exports of the same
/// state are byte for byte equal and diff well.
/// </summary>
internal sealed class ExportOrganisationHandler(Db db)
{
    public async Task<string> ExportAsync(OrgExportFormat format, CancellationToken cancellationToken)
    {
        var snapshot = await db.InTransactionAsync((_, transaction) => new OrgStore(db.Dialect, transaction).LoadAsync(cancellationToken), cancellationToken);
        return OrgFileWriter.Write(ToDocument(snapshot), format);
    }

    internal static OrgDocument ToDocument(OrgSnapshot snapshot)
    {
        var emails = snapshot.People.ToDictionary(person => person.Id, person => person.Email);
        var byEmail = StringComparer.OrdinalIgnoreCase;
        string? Email(long? id) => id is { } personId ? emails[personId] : null;
        List<string> Members(IEnumerable<MemberRow> rows, long ownerId) =>
            rows.Where(row => row.OwnerId == ownerId).Select(row => emails[row.PersonId]).Order(byEmail).ToList();
        Dictionary<string, string> Channels(IEnumerable<ChannelRow> rows, long ownerId) =>
            rows.Where(row => row.OwnerId == ownerId).ToDictionary(row => row.Platform, row => row.ChannelId, StringComparer.Ordinal);

        return new OrgDocument
        {
            People = snapshot.People.OrderBy(person => person.Email, byEmail).Select(person => new OrgPerson
            {
                Email = person.Email,
                Name = person.DisplayName,
                TimeZone = person.TimeZone,
                Locale = person.Locale,
                Identities = snapshot.Identities
                    .Where(identity => identity.PersonId == person.Id && OrgPlatforms.All.Contains(identity.Platform))
                    .ToDictionary(identity => identity.Platform, identity => identity.UserId, StringComparer.Ordinal),
            }).ToList(),
            Teams = snapshot.Teams.OrderBy(team => team.Key, byEmail).Select(team => new OrgTeam
            {
                Key = team.Key,
                Name = team.Name,
                Lead = Email(team.LeadPersonId),
                Members = Members(snapshot.TeamMembers, team.Id),
                Channels = Channels(snapshot.TeamChannels, team.Id),
            }).ToList(),
            Departments = snapshot.Departments.OrderBy(department => department.Key, byEmail).Select(department => new OrgDepartment
            {
                Key = department.Key,
                Name = department.Name,
                Lead = Email(department.LeadPersonId),
                Members = Members(snapshot.DepartmentMembers, department.Id),
                SlaMinutes = department.SlaMinutes,
                WorkStartMinute = department.WorkStartMinute,
                WorkEndMinute = department.WorkEndMinute,
                WorkingDays = OrgValues.ParseWorkingDays(department.WorkingDays),
                TimeZone = department.TimeZone,
                Holidays = snapshot.DepartmentHolidays.Where(holiday => holiday.OwnerId == department.Id)
                    .Select(holiday => OrgValues.ParseDate(holiday.Holiday)).OfType<DateOnly>().Order().ToList(),
                Channels = Channels(snapshot.DepartmentChannels, department.Id),
            }).ToList(),
            Digests = snapshot.Digests.OrderBy(digest => digest.Name, byEmail).Select(ToDigest).ToList(),
        };
    }

    internal static OrgDigest ToDigest(DigestRow row) => new()
    {
        Name = row.Name,
        Platform = row.Platform,
        ChannelId = row.ChannelId,
        ScopeKind = row.ScopeKind,
        ScopeKey = row.ScopeKey,
        Variant = row.Variant,
        Day = OrgValues.FromIsoDayNumber(row.DayOfWeek),
        Time = OrgValues.ParseClockMinutes(row.LocalTime, allowEndOfDay: false) is { } minutes ? new TimeOnly(minutes / 60, minutes % 60) : default,
        TimeZone = row.TimeZone,
        Enabled = row.Enabled != 0,
    };
}
