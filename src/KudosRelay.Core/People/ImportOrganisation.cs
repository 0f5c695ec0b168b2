using KudosRelay.Core.Escalations;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.People;

/// <summary>Either what an import changed, or every error that stopped it (then nothing was written).</summary>
internal sealed record OrgImportResult(OrgImportSummary? Summary, IReadOnlyList<OrgError> Errors)
{
    public bool Succeeded => Summary is not null;

    public static OrgImportResult Success(OrgImportSummary summary) => new(summary, []);

    public static OrgImportResult Failure(IReadOnlyList<OrgError> errors) => new(null, errors);
}

/// <summary>What an import did, per kind; <see cref="Settings"/> counts the organisation's own settings (<c>defaultLocale</c> and each field of <c>nudges:</c>).</summary>
internal sealed record OrgImportSummary(
    OrgImportCounts Settings,
    OrgImportCounts People,
    OrgImportCounts ChatIdentities,
    OrgImportCounts Teams,
    OrgImportCounts Departments,
    OrgImportCounts Digests)
{
    public int TotalCreated => Settings.Created + People.Created + ChatIdentities.Created + Teams.Created + Departments.Created + Digests.Created;

    public int TotalUpdated => Settings.Updated + People.Updated + ChatIdentities.Updated + Teams.Updated + Departments.Updated + Digests.Updated;

    /// <summary>One line per kind, for the command line and the start-up log.</summary>
    public override string ToString() => string.Join(Environment.NewLine,
        $"settings:        {Settings}",
        $"people:          {People}",
        $"chat identities: {ChatIdentities}",
        $"teams:           {Teams}",
        $"departments:     {Departments}",
        $"digests:         {Digests}");
}

internal sealed record OrgImportCounts(int Created, int Updated, int Unchanged)
{
    public override string ToString() => $"{Created} created, {Updated} updated, {Unchanged} unchanged";
}

/// <summary>
/// Imports an org file: creates or updates everything it lists, in one transaction, and leaves
/// alone whatever it does not list. For a listed team or department, the file's members, channels
/// and holidays replace the stored ones. Chat identities the file does not mention are kept (the
/// bot also learns them from the platforms), as is any stored conversation reference. A file without
/// <c>defaultLocale</c> keeps the stored one, like any other entry it does not list.
/// </summary>
internal sealed class ImportOrganisationHandler(Db db, TimeProvider clock, OrgFileReader reader)
{
    public Task<OrgImportResult> ImportAsync(string fileText, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var store = new OrgStore(db.Dialect, transaction);
            // References are checked against what this transaction reads, so the check and the writes see the same database.
            var snapshot = await store.LoadAsync(cancellationToken);
            var read = reader.Read(fileText, snapshot.Known());
            if (read.Document is not { } document || !read.IsValid)
                return OrgImportResult.Failure(read.Errors);
            var import = new Import(store, snapshot, clock.GetUtcNow().UtcDateTime, cancellationToken);
            return OrgImportResult.Success(await import.RunAsync(document));
        }, cancellationToken);

    private sealed class Import(OrgStore store, OrgSnapshot snapshot, DateTime now, CancellationToken cancellationToken)
    {
        private readonly Dictionary<string, long> personIds =
            snapshot.People.ToDictionary(person => person.Email, person => person.Id, StringComparer.OrdinalIgnoreCase);

        private readonly ILookup<long, MemberRow> teamMembers = snapshot.TeamMembers.ToLookup(row => row.OwnerId);
        private readonly ILookup<long, ChannelRow> teamChannels = snapshot.TeamChannels.ToLookup(row => row.OwnerId);
        private readonly ILookup<long, MemberRow> departmentMembers = snapshot.DepartmentMembers.ToLookup(row => row.OwnerId);
        private readonly ILookup<long, ChannelRow> departmentChannels = snapshot.DepartmentChannels.ToLookup(row => row.OwnerId);
        private readonly ILookup<long, HolidayRow> holidays = snapshot.DepartmentHolidays.ToLookup(row => row.OwnerId);

        public async Task<OrgImportSummary> RunAsync(OrgDocument document)
        {
            var settings = await ApplyDefaultLocaleAsync(document.DefaultLocale);
            await ApplyNudgesAsync(document.Nudges, settings);
            var people = await ApplyPeopleAsync(document.People);
            var identities = await ApplyIdentitiesAsync(document.People);
            var teams = await ApplyTeamEntriesAsync(document.Teams);
            var departments = await ApplyDepartmentsAsync(document.Departments);
            var digests = await ApplyDigestsAsync(document.Digests);
            return new OrgImportSummary(settings.Counts(), people.Counts(), identities.Counts(), teams.Counts(), departments.Counts(), digests.Counts());
        }

        /// <summary>Only the setting is stored: entries without a locale of their own keep following it (see <see cref="OrgSettings.DefaultLocaleSql"/>).</summary>
        private async Task<Tally> ApplyDefaultLocaleAsync(string? defaultLocale)
        {
            var tally = new Tally();
            if (defaultLocale is null)
                return tally;
            if (snapshot.DefaultLocale is not { } stored)
            {
                await store.InsertSettingAsync(OrgSettings.DefaultLocale, defaultLocale, now, cancellationToken);
                tally.Created++;
            }
            else if (stored != defaultLocale)
            {
                await store.UpdateSettingAsync(OrgSettings.DefaultLocale, defaultLocale, now, cancellationToken);
                tally.Updated++;
            }
            else
                tally.Unchanged++;
            return tally;
        }

        /// <summary>
        /// The file's <c>nudges:</c> block replaces the organisation's (counted as one setting): a field it leaves out goes
        /// back to its default. Only values that differ from the default are stored, one setting per field, so an export
        /// (which spells every field out) imports back as unchanged. A file without the block keeps the stored one.
        /// </summary>
        private async Task ApplyNudgesAsync(OrgNudges? nudges, Tally tally)
        {
            if (nudges is null)
                return;
            var rows = snapshot.Settings.Where(setting => setting.Name.StartsWith(OrgSettings.NudgesPrefix, StringComparison.Ordinal))
                .ToDictionary(setting => setting.Name, setting => setting.Value, StringComparer.Ordinal);
            var wanted = OrgNudges.Of(nudges.Over(NudgePolicy.Default)).ToStored();
            var defaults = OrgNudges.Of(NudgePolicy.Default).ToStored();
            var changed = false;
            foreach (var field in OrgNudgeFields.All)
            {
                var name = OrgSettings.Nudge(field);
                var stored = rows.GetValueOrDefault(name) ?? defaults[field];
                if (wanted[field] == stored)
                    continue;
                changed = true;
                if (wanted[field] == defaults[field])
                    await store.DeleteSettingAsync(name, cancellationToken);
                else if (rows.ContainsKey(name))
                    await store.UpdateSettingAsync(name, wanted[field]!, now, cancellationToken);
                else
                    await store.InsertSettingAsync(name, wanted[field]!, now, cancellationToken);
            }
            if (!changed)
                tally.Unchanged++;
            else if (rows.Count == 0)
                tally.Created++;
            else
                tally.Updated++;
        }

        private async Task<Tally> ApplyPeopleAsync(IReadOnlyList<OrgPerson> people)
        {
            var tally = new Tally();
            var stored = snapshot.People.ToDictionary(person => person.Email, StringComparer.OrdinalIgnoreCase);
            foreach (var person in people)
            {
                if (!stored.TryGetValue(person.Email, out var row))
                {
                    personIds[person.Email] = await store.InsertPersonAsync(person, now, cancellationToken);
                    tally.Created++;
                }
                else if (row.Email != person.Email || row.DisplayName != person.Name || row.TimeZone != person.TimeZone || row.Locale != person.Locale)
                {
                    await store.UpdatePersonAsync(row.Id, person, now, cancellationToken);
                    tally.Updated++;
                }
                else
                    tally.Unchanged++;
            }
            return tally;
        }

        private async Task<Tally> ApplyIdentitiesAsync(IReadOnlyList<OrgPerson> people)
        {
            var tally = new Tally();
            var stored = snapshot.Identities.ToDictionary(identity => (identity.PersonId, identity.Platform));
            foreach (var person in people)
            {
                var personId = personIds[person.Email];
                foreach (var (platform, userId) in person.Identities)
                {
                    if (!stored.TryGetValue((personId, platform), out var row))
                    {
                        await store.InsertIdentityAsync(personId, platform, userId, now, cancellationToken);
                        tally.Created++;
                    }
                    else if (row.UserId != userId)
                    {
                        await store.UpdateIdentityAsync(row.Id, userId, now, cancellationToken);
                        tally.Updated++;
                    }
                    else
                        tally.Unchanged++;
                }
            }
            return tally;
        }

        // Not "ApplyTeamsAsync": an async method compiles to a type named after it, and no Core type may carry a platform's name.
        private async Task<Tally> ApplyTeamEntriesAsync(IReadOnlyList<OrgTeam> teams)
        {
            var tally = new Tally();
            var stored = snapshot.Teams.ToDictionary(team => team.Key, StringComparer.OrdinalIgnoreCase);
            foreach (var team in teams)
            {
                var leadId = Lead(team.Lead);
                var members = Members(team.Members);
                if (!stored.TryGetValue(team.Key, out var row))
                {
                    var id = await store.InsertTeamAsync(team, leadId, now, cancellationToken);
                    await store.ReplaceTeamMembersAsync(id, members, cancellationToken);
                    await store.ReplaceTeamChannelsAsync(id, team.Channels, cancellationToken);
                    tally.Created++;
                    continue;
                }
                var membersChanged = !members.SetEquals(teamMembers[row.Id].Select(m => m.PersonId));
                var channelsChanged = !SameChannels(team.Channels, teamChannels[row.Id]);
                var rowChanged = row.Key != team.Key || row.Name != team.Name || row.LeadPersonId != leadId || (row.PostKudos == 1) != team.PostKudos
                    || row.Locale != team.Locale;
                if (!rowChanged && !membersChanged && !channelsChanged)
                {
                    tally.Unchanged++;
                    continue;
                }
                await store.UpdateTeamAsync(row.Id, team, leadId, now, cancellationToken);
                if (membersChanged)
                    await store.ReplaceTeamMembersAsync(row.Id, members, cancellationToken);
                if (channelsChanged)
                    await store.ReplaceTeamChannelsAsync(row.Id, team.Channels, cancellationToken);
                tally.Updated++;
            }
            return tally;
        }

        private async Task<Tally> ApplyDepartmentsAsync(IReadOnlyList<OrgDepartment> departments)
        {
            var tally = new Tally();
            var stored = snapshot.Departments.ToDictionary(department => department.Key, StringComparer.OrdinalIgnoreCase);
            foreach (var department in departments)
            {
                var leadId = Lead(department.Lead);
                var members = Members(department.Members);
                if (!stored.TryGetValue(department.Key, out var row))
                {
                    var id = await store.InsertDepartmentAsync(department, leadId, now, cancellationToken);
                    await store.ReplaceDepartmentMembersAsync(id, members, cancellationToken);
                    await store.ReplaceDepartmentChannelsAsync(id, department.Channels, cancellationToken);
                    await store.ReplaceDepartmentHolidaysAsync(id, department.Holidays, cancellationToken);
                    tally.Created++;
                    continue;
                }
                var membersChanged = !members.SetEquals(departmentMembers[row.Id].Select(m => m.PersonId));
                var channelsChanged = !SameChannels(department.Channels, departmentChannels[row.Id]);
                var holidaysChanged = !department.Holidays.Select(OrgValues.FormatDate).ToHashSet()
                    .SetEquals(holidays[row.Id].Select(h => h.Holiday));
                var rowChanged = row.Key != department.Key || row.Name != department.Name || row.LeadPersonId != leadId
                    || row.SlaMinutes != department.SlaMinutes || row.WorkStartMinute != department.WorkStartMinute
                    || row.WorkEndMinute != department.WorkEndMinute || row.TimeZone != department.TimeZone
                    || row.WorkingDays != OrgValues.FormatWorkingDays(department.WorkingDays) || row.Locale != department.Locale
                    || row.NudgeColumns != DepartmentNudges.ToRow(department.Nudges);
                if (!rowChanged && !membersChanged && !channelsChanged && !holidaysChanged)
                {
                    tally.Unchanged++;
                    continue;
                }
                await store.UpdateDepartmentAsync(row.Id, department, leadId, now, cancellationToken);
                if (membersChanged)
                    await store.ReplaceDepartmentMembersAsync(row.Id, members, cancellationToken);
                if (channelsChanged)
                    await store.ReplaceDepartmentChannelsAsync(row.Id, department.Channels, cancellationToken);
                if (holidaysChanged)
                    await store.ReplaceDepartmentHolidaysAsync(row.Id, department.Holidays, cancellationToken);
                tally.Updated++;
            }
            return tally;
        }

        private async Task<Tally> ApplyDigestsAsync(IReadOnlyList<OrgDigest> digests)
        {
            var tally = new Tally();
            var stored = snapshot.Digests.ToDictionary(digest => digest.Name, StringComparer.OrdinalIgnoreCase);
            foreach (var digest in digests)
            {
                if (!stored.TryGetValue(digest.Name, out var row))
                {
                    await store.InsertDigestAsync(digest, now, cancellationToken);
                    tally.Created++;
                }
                else if (ExportOrganisationHandler.ToDigest(row) != digest)
                {
                    await store.UpdateDigestAsync(row.Id, digest, now, cancellationToken);
                    tally.Updated++;
                }
                else
                    tally.Unchanged++;
            }
            return tally;
        }

        private long? Lead(string? email) => email is null ? null : personIds[email];

        private HashSet<long> Members(IEnumerable<string> emails) => emails.Select(email => personIds[email]).ToHashSet();

        private static bool SameChannels(IReadOnlyDictionary<string, string> wanted, IEnumerable<ChannelRow> stored)
        {
            var current = stored.ToDictionary(channel => channel.Platform, channel => channel.ChannelId);
            return current.Count == wanted.Count && wanted.All(channel => current.GetValueOrDefault(channel.Key) == channel.Value);
        }
    }

    private sealed class Tally
    {
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Unchanged { get; set; }

        public OrgImportCounts Counts() => new(Created, Updated, Unchanged);
    }
}
