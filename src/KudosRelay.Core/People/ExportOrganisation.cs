using KudosRelay.Core.Escalations;
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
        var ignoreCase = StringComparer.OrdinalIgnoreCase;
        string? Email(long? id) => id is { } personId ? emails[personId] : null;
        // Lookups keep export linear in the number of rows, whatever the size of the organisation.
        var identities = snapshot.Identities.ToLookup(row => row.PersonId);
        var teamMembers = snapshot.TeamMembers.ToLookup(row => row.OwnerId);
        var teamChannels = snapshot.TeamChannels.ToLookup(row => row.OwnerId);
        var departmentMembers = snapshot.DepartmentMembers.ToLookup(row => row.OwnerId);
        var departmentChannels = snapshot.DepartmentChannels.ToLookup(row => row.OwnerId);
        var holidays = snapshot.DepartmentHolidays.ToLookup(row => row.OwnerId);
        List<string> Members(IEnumerable<MemberRow> rows) => rows.Select(row => emails[row.PersonId]).Order(ignoreCase).ToList();
        Dictionary<string, string> Channels(IEnumerable<ChannelRow> rows) =>
            rows.ToDictionary(row => row.Platform, row => row.ChannelId, StringComparer.Ordinal);

        return new OrgDocument
        {
            // Always spelled out, so that the file says which language entries without their own locale speak.
            DefaultLocale = snapshot.DefaultLocale ?? OrgDefaults.Locale,
            // Spelled out whole, stored values over defaults, so that the file shows how every department is nudged.
            Nudges = OrgNudges.Of(OrgSettings.Nudges(snapshot.Settings).Over(NudgePolicy.Default)),
            People = snapshot.People.OrderBy(person => person.Email, ignoreCase).Select(person => new OrgPerson
            {
                Email = person.Email,
                Name = person.DisplayName,
                TimeZone = person.TimeZone,
                Locale = person.Locale,
                Identities = identities[person.Id]
                    .Where(identity => OrgPlatforms.All.Contains(identity.Platform))
                    .ToDictionary(identity => identity.Platform, identity => identity.UserId, StringComparer.Ordinal),
            }).ToList(),
            Teams = snapshot.Teams.OrderBy(team => team.Key, ignoreCase).Select(team => new OrgTeam
            {
                Key = team.Key,
                Name = team.Name,
                Lead = Email(team.LeadPersonId),
                Members = Members(teamMembers[team.Id]),
                Channels = Channels(teamChannels[team.Id]),
                PostKudos = team.PostKudos == 1,
                Locale = team.Locale,
            }).ToList(),
            Departments = snapshot.Departments.OrderBy(department => department.Key, ignoreCase).Select(department => new OrgDepartment
            {
                Key = department.Key,
                Name = department.Name,
                Lead = Email(department.LeadPersonId),
                Members = Members(departmentMembers[department.Id]),
                SlaMinutes = department.SlaMinutes,
                WorkStartMinute = department.WorkStartMinute,
                WorkEndMinute = department.WorkEndMinute,
                WorkingDays = OrgValues.ParseWorkingDays(department.WorkingDays),
                TimeZone = department.TimeZone,
                Holidays = holidays[department.Id].Select(holiday => OrgValues.ParseDate(holiday.Holiday)).OfType<DateOnly>().Order().ToList(),
                Channels = Channels(departmentChannels[department.Id]),
                Locale = department.Locale,
                Nudges = DepartmentNudges.FromRow(department.NudgeColumns),
            }).ToList(),
            Digests = snapshot.Digests.OrderBy(digest => digest.Name, ignoreCase).Select(ToDigest).ToList(),
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
        Locale = row.Locale,
    };
}
