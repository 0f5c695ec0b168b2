using System.Globalization;
using System.Text.RegularExpressions;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KudosRelay.Core.People;

/// <summary>
/// Either a document with no errors, or every error found in the file. A document that came with
/// errors is never handed out: nothing half-read may be imported.
/// </summary>
internal sealed record OrgFileReadResult(OrgDocument? Document, IReadOnlyList<OrgError> Errors)
{
    public bool IsValid => Document is not null && Errors.Count == 0;
}

/// <summary>What the database already holds, for checking the references of an org file.</summary>
internal sealed record OrgKnown
{
    public IReadOnlySet<string> PeopleEmails { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    public IReadOnlySet<string> TeamKeys { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    public IReadOnlySet<string> DepartmentKeys { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The e-mail address of the person holding each (platform, user id).</summary>
    public IReadOnlyDictionary<(string Platform, string UserId), string> IdentityOwners { get; init; } =
        new Dictionary<(string Platform, string UserId), string>();
}

/// <summary>
/// Reads an org file, YAML or JSON (JSON is YAML flow syntax), by walking YamlDotNet's node tree so
/// that every error can name its field path. Everything is checked before anything is returned, so
/// a file is accepted or refused whole. Chat user and channel ids are checked by the formats the
/// platform adapters register.
/// </summary>
internal sealed partial class OrgFileReader
{
    private readonly Dictionary<string, IChatIdFormat> idFormats;

    /// <param name="idFormats">One format for every platform an org file may name; each adapter registers its own.</param>
    public OrgFileReader(IEnumerable<IChatIdFormat> idFormats)
    {
        this.idFormats = idFormats.ToDictionary(format => format.Platform, StringComparer.Ordinal);
        if (OrgPlatforms.All.FirstOrDefault(platform => !this.idFormats.ContainsKey(platform)) is { } missing)
            throw new InvalidOperationException($"No id format is registered for chat platform '{missing}'; its adapter's module registers one.");
    }

    /// <summary>
    /// Reads and checks <paramref name="text"/>. With <paramref name="known"/> (what the database
    /// holds), references to people, teams and departments are checked too; without it they are
    /// only checked for form, since they may name entries that exist in the database.
    /// </summary>
    public OrgFileReadResult Read(string text, OrgKnown? known = null)
    {
        var (document, errors) = ReadLenient(text, known);
        return errors.Count == 0 && document is not null ? new(document, []) : new(null, errors);
    }

    /// <summary>Reads as much as possible so as to report every error, not just the first.</summary>
    private (OrgDocument? Document, List<OrgError> Errors) ReadLenient(string text, OrgKnown? known)
    {
        var errors = new List<OrgError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            errors.Add(new($"line {exception.Start.Line}, column {exception.Start.Column}", ParseMessage(exception)));
            return (null, errors);
        }
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            errors.Add(new("", "the file is empty"));
            return (null, errors);
        }
        if (stream.Documents.Count > 1)
        {
            errors.Add(new("", "the file holds more than one YAML document; put everything in one"));
            return (null, errors);
        }
        var walker = new Walker(errors, idFormats, known);
        return (walker.ReadDocument(stream.Documents[0].RootNode), errors);
    }

    private static string ParseMessage(YamlException exception)
    {
        // YamlDotNet prefixes its own position ("(Line: 3, Col: 5, Idx: 20) - (…): "); the path already says where.
        var message = exception.InnerException is YamlException inner && inner.Message.Length > 0 ? inner.Message : exception.Message;
        return PositionPrefix().Replace(message, "").Trim();
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private sealed class Walker(List<OrgError> errors, Dictionary<string, IChatIdFormat> idFormats, OrgKnown? known)
    {
        private static readonly string[] RootFields = ["defaultLocale", "nudges", "people", "teams", "departments", "digests"];
        private static readonly string[] PersonFields = ["email", "name", "timeZone", "locale", .. OrgPlatforms.All];
        private static readonly string[] TeamFields = ["key", "name", "lead", "members", "channels", "locale", "postKudos"];
        private static readonly string[] DepartmentFields =
            ["key", "name", "lead", "members", "sla", "workingHours", "workingDays", "timeZone", "locale", "holidays", "channels", "nudges"];
        private static readonly string[] DigestFields = ["name", "channel", "scope", "variant", "day", "time", "timeZone", "locale", "enabled"];
        private static readonly string[] ScopeFields = [OrgScopeKinds.Team, OrgScopeKinds.Department, OrgScopeKinds.Organisation];

        private readonly HashSet<string> fileEmails = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> fileTeamKeys = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> fileDepartmentKeys = new(StringComparer.OrdinalIgnoreCase);

        public OrgDocument? ReadDocument(YamlNode root)
        {
            var fields = Fields(root, "", RootFields);
            if (fields is null)
                return null;
            var defaultLocale = Locale(fields, "", "defaultLocale");
            var nudges = Nudges(fields, "");
            var organisationNudges = (nudges ?? new OrgNudges()).Over(NudgePolicy.Default);
            CheckLeadNote(organisationNudges, nudges, "nudges");

            // People first: teams and departments refer to them, digests to teams and departments.
            var people = Read(fields, "people", ReadPerson);
            Unique(people.Select(person => (person.Item.Email, $"{person.Path}.email")), "people", StringComparer.OrdinalIgnoreCase);
            foreach (var platform in OrgPlatforms.All)
            {
                var ids = people.Select(person => (Id: person.Item.Identities.GetValueOrDefault(platform) ?? "", Path: $"{person.Path}.{platform}")).ToList();
                Unique(ids, "people", StringComparer.Ordinal);
                CheckIdentityOwners(platform, people, ids);
            }
            fileEmails.UnionWith(people.Select(person => person.Item.Email).Where(email => email.Length > 0));

            var teams = Read(fields, "teams", ReadTeam);
            Unique(teams.Select(team => (team.Item.Key, $"{team.Path}.key")), "teams", StringComparer.OrdinalIgnoreCase);
            fileTeamKeys.UnionWith(teams.Select(team => team.Item.Key));

            var departments = Read(fields, "departments", ReadDepartment);
            foreach (var (department, path) in departments)
            {
                if (department.Nudges is { } own && (own.Reminders is not null || own.LeadNote is not null))
                    CheckLeadNote(own.Over(organisationNudges), own, $"{path}.nudges");
            }
            Unique(departments.Select(department => (department.Item.Key, $"{department.Path}.key")), "departments", StringComparer.OrdinalIgnoreCase);
            fileDepartmentKeys.UnionWith(departments.Select(department => department.Item.Key));

            var digests = Read(fields, "digests", ReadDigest);
            Unique(digests.Select(digest => (digest.Item.Name, $"{digest.Path}.name")), "digests", StringComparer.OrdinalIgnoreCase);

            return new OrgDocument
            {
                DefaultLocale = defaultLocale,
                Nudges = nudges,
                People = people.ConvertAll(person => person.Item),
                Teams = teams.ConvertAll(team => team.Item),
                Departments = departments.ConvertAll(department => department.Item),
                Digests = digests.ConvertAll(digest => digest.Item),
            };
        }

        private List<(T Item, string Path)> Read<T>(Dictionary<string, YamlNode> root, string name, Func<YamlNode, string, T?> read)
            where T : class =>
            Items(root, name, "").Select(item => (Item: read(item.Node, item.Path), item.Path))
                .Where(entry => entry.Item is not null)
                .Select(entry => (entry.Item!, entry.Path))
                .ToList();

        /// <summary>A chat user id already stored for someone else cannot be given to a person in the file.</summary>
        private void CheckIdentityOwners(string platform, List<(OrgPerson Item, string Path)> people, List<(string Id, string Path)> ids)
        {
            if (known is null)
                return;
            var fileOwner = people.Select((person, index) => (person.Item.Email, ids[index].Id)).ToList();
            for (var index = 0; index < ids.Count; index++)
            {
                var (id, path) = ids[index];
                if (id.Length == 0 || !known.IdentityOwners.TryGetValue((platform, id), out var owner)
                    || string.Equals(owner, people[index].Item.Email, StringComparison.OrdinalIgnoreCase))
                    continue;
                // The owner may be in this file too, moving to another id: then the id is free.
                var ownerMoves = fileOwner.Any(entry => string.Equals(entry.Email, owner, StringComparison.OrdinalIgnoreCase) && entry.Id != id);
                if (!ownerMoves)
                    Error(path, $"'{id}' already belongs to {owner} in the database");
            }
        }

        private void Reference(string? email, string path)
        {
            // Malformed addresses were reported where they were read; only well-formed ones are looked up.
            if (known is null || email is null || !OrgValues.IsEmail(email) || fileEmails.Contains(email) || known.PeopleEmails.Contains(email))
                return;
            Error(path, $"'{email}' is not a person in this file or the database");
        }

        private OrgPerson? ReadPerson(YamlNode node, string path)
        {
            var fields = Fields(node, path, PersonFields);
            if (fields is null)
                return null;
            var email = Email(fields, "email", path, required: true);
            var name = Text(fields, "name", path, required: true);
            var identities = ChatIds(fields, path, format => format.UserIdProblem);
            return new OrgPerson
            {
                Email = email ?? "",
                Name = name ?? "",
                TimeZone = TimeZone(fields, path),
                Locale = Locale(fields, path) ?? OrgDefaults.Locale,
                Identities = identities,
            };
        }

        private OrgTeam? ReadTeam(YamlNode node, string path)
        {
            var fields = Fields(node, path, TeamFields);
            if (fields is null)
                return null;
            var lead = Email(fields, "lead", path);
            Reference(lead, $"{path}.lead");
            return new OrgTeam
            {
                Key = Key(fields, path),
                Name = Text(fields, "name", path, required: true) ?? "",
                Lead = lead,
                Members = Members(fields, path),
                Channels = Channels(fields, "channels", path),
                Locale = Locale(fields, path),
                PostKudos = Flag(fields, "postKudos", path),
            };
        }

        /// <summary>A true/false field that is true when left out.</summary>
        private bool Flag(Dictionary<string, YamlNode> fields, string name, string path)
        {
            if (Text(fields, name, path) is not { } text)
                return true;
            if (bool.TryParse(text, out var parsed))
                return parsed;
            Error($"{path}.{name}", $"'{text}' is not true or false");
            return true;
        }

        private OrgDepartment? ReadDepartment(YamlNode node, string path)
        {
            var fields = Fields(node, path, DepartmentFields);
            if (fields is null)
                return null;
            var sla = OrgDefaults.SlaMinutes;
            if (Text(fields, "sla", path) is { } slaText)
            {
                if (OrgValues.ParseDuration(slaText) is not { } minutes)
                    Error($"{path}.sla", $"'{slaText}' is not a duration like 16h, 90m or 1h30m");
                else if (minutes == 0)
                    Error($"{path}.sla", "must be longer than zero");
                else
                    sla = minutes;
            }
            var (start, end) = (OrgDefaults.WorkStartMinute, OrgDefaults.WorkEndMinute);
            if (Text(fields, "workingHours", path) is { } hours)
            {
                var parts = hours.Split('-', StringSplitOptions.TrimEntries);
                if (parts.Length == 2
                    && OrgValues.ParseClockMinutes(parts[0], allowEndOfDay: false) is { } from
                    && OrgValues.ParseClockMinutes(parts[1], allowEndOfDay: true) is { } to
                    && from < to)
                    (start, end) = (from, to);
                else
                    Error($"{path}.workingHours", $"'{hours}' is not a time range like 09:00-17:00 (start before end)");
            }
            var days = OrgDefaults.WorkingDays;
            if (fields.TryGetValue("workingDays", out var daysNode) && !IsNull(daysNode))
            {
                var listed = Scalars(fields, "workingDays", path, (value, itemPath) =>
                {
                    var day = OrgValues.ParseDay(value);
                    if (day is null)
                        Error(itemPath, $"'{value}' is not a day (Mon, Tue, … Sun)");
                    return day;
                });
                Unique(listed.Select(item => (item.Value?.ToString() ?? "", item.Path)), "workingDays", StringComparer.Ordinal);
                days = OrgValues.MondayFirst(listed.Select(item => item.Value).OfType<DayOfWeek>());
                if (listed.Count == 0 && daysNode is YamlSequenceNode)
                    Error($"{path}.workingDays", "must name at least one day");
            }
            var holidays = Scalars(fields, "holidays", path, (value, itemPath) =>
            {
                var date = OrgValues.ParseDate(value);
                if (date is null)
                    Error(itemPath, $"'{value}' is not a date (yyyy-mm-dd)");
                return date;
            });
            Unique(holidays.Select(item => (item.Value is { } date ? OrgValues.FormatDate(date) : "", item.Path)), "holidays", StringComparer.Ordinal);
            var lead = Email(fields, "lead", path);
            Reference(lead, $"{path}.lead");
            return new OrgDepartment
            {
                Key = Key(fields, path),
                Name = Text(fields, "name", path, required: true) ?? "",
                Lead = lead,
                Members = Members(fields, path),
                SlaMinutes = sla,
                WorkStartMinute = start,
                WorkEndMinute = end,
                WorkingDays = days,
                TimeZone = TimeZone(fields, path),
                Locale = Locale(fields, path),
                Holidays = holidays.Select(item => item.Value).OfType<DateOnly>().Order().ToList(),
                Channels = Channels(fields, "channels", path),
                Nudges = Nudges(fields, path),
            };
        }

        /// <summary>
        /// A <c>nudges:</c> block (the organisation's or a department's); null when absent. Lengths are working time:
        /// <c>4h</c>, <c>90m</c>, <c>1d</c> (one working day of the department), <c>1d4h</c>.
        /// </summary>
        private OrgNudges? Nudges(Dictionary<string, YamlNode> owner, string path)
        {
            if (!owner.TryGetValue("nudges", out var node) || IsNull(node))
                return null;
            var nudgesPath = FieldPath(path, "nudges");
            var fields = Fields(node, nudgesPath, OrgNudgeFields.All);
            if (fields is null)
                return null;
            IReadOnlyList<BusinessDuration>? reminders = null;
            if (fields.TryGetValue(OrgNudgeFields.Reminders, out var remindersNode) && !IsNull(remindersNode))
            {
                var waits = Scalars(fields, OrgNudgeFields.Reminders, nudgesPath, (value, itemPath) => Duration(value, itemPath, allowZero: false));
                if (waits.Count > MaxReminders)
                    Error($"{nudgesPath}.{OrgNudgeFields.Reminders}", $"lists {waits.Count} reminders; at most {MaxReminders}, so that nobody is asked forever");
                if (remindersNode is YamlSequenceNode)
                    reminders = waits.Select(wait => wait.Value).OfType<BusinessDuration>().ToList();
            }
            return new OrgNudges
            {
                HeadsUpBefore = Text(fields, OrgNudgeFields.HeadsUpBefore, nudgesPath) is { } headsUp
                    ? Duration(headsUp, $"{nudgesPath}.{OrgNudgeFields.HeadsUpBefore}", allowZero: true) : null,
                Reminders = reminders,
                LeadNote = OptionalFlag(fields, OrgNudgeFields.LeadNote, nudgesPath),
                DailyBudget = Count(fields, OrgNudgeFields.DailyBudget, nudgesPath),
                WeeklyBudget = Count(fields, OrgNudgeFields.WeeklyBudget, nudgesPath),
                Grace = Text(fields, OrgNudgeFields.Grace, nudgesPath) is { } grace
                    ? Duration(grace, $"{nudgesPath}.{OrgNudgeFields.Grace}", allowZero: true) : null,
            };
        }

        // Ten waits of two days already reach a month of asking; more is a typo or a wish to pester.
        private const int MaxReminders = 10;

        // A budget above this is no budget: the setting exists to keep people from being flooded.
        private const int MaxBudget = 1000;

        private BusinessDuration? Duration(string value, string path, bool allowZero)
        {
            if (BusinessDuration.Parse(value) is not { } duration)
                Error(path, $"'{value}' is not a length of working time like 4h, 90m, 1d or 1d4h");
            else if (duration.IsZero && !allowZero)
                Error(path, "must be longer than zero");
            else
                return duration;
            return null;
        }

        private bool? OptionalFlag(Dictionary<string, YamlNode> fields, string name, string path)
        {
            if (Text(fields, name, path) is not { } text)
                return null;
            if (bool.TryParse(text, out var parsed))
                return parsed;
            Error($"{path}.{name}", $"'{text}' is not true or false");
            return null;
        }

        private int? Count(Dictionary<string, YamlNode> fields, string name, string path)
        {
            if (Text(fields, name, path) is not { } text)
                return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxBudget)
                return count;
            Error($"{path}.{name}", $"'{text}' is not a whole number from 1 to {MaxBudget}");
            return null;
        }

        /// <summary>The note to the lead waits as long as the last reminder, so it needs one.</summary>
        private void CheckLeadNote(NudgePolicy effective, OrgNudges? written, string path)
        {
            if (effective.LeadNote && effective.Reminders.Count == 0)
            {
                var field = written?.Reminders is not null ? OrgNudgeFields.Reminders : OrgNudgeFields.LeadNote;
                Error($"{path}.{field}", "a note to the lead waits as long as the last reminder, so it needs at least one reminder; set leadNote: false for none");
            }
        }

        private OrgDigest? ReadDigest(YamlNode node, string path)
        {
            var fields = Fields(node, path, DigestFields);
            if (fields is null)
                return null;
            var name = Text(fields, "name", path, required: true) ?? "";
            var errorsBefore = errors.Count;
            var channel = Channels(fields, "channel", path);
            if (!fields.TryGetValue("channel", out var channelNode) || IsNull(channelNode))
                Error($"{path}.channel", $"is required: {string.Join(" or ", OrgPlatforms.All.Select(platform => $"{{ {platform}: CHANNEL }}"))}");
            else if (channel.Count != 1 && errors.Count == errorsBefore)
                Error($"{path}.channel", $"name exactly one platform ({string.Join(" or ", OrgPlatforms.All)})");
            var (scopeKind, scopeKey) = Scope(fields, path);
            var variant = Text(fields, "variant", path) ?? OrgDefaults.DigestVariant;
            if (!OrgDigestVariants.All.Contains(variant))
                Error($"{path}.variant", $"'{variant}' is not a digest variant ({string.Join(" or ", OrgDigestVariants.All)})");
            var day = OrgDefaults.DigestDay;
            if (Text(fields, "day", path) is { } dayText)
            {
                if (OrgValues.ParseDay(dayText) is { } parsed)
                    day = parsed;
                else
                    Error($"{path}.day", $"'{dayText}' is not a day (Monday … Sunday)");
            }
            var time = OrgDefaults.DigestTime;
            if (Text(fields, "time", path) is { } timeText)
            {
                if (OrgValues.ParseClockMinutes(timeText, allowEndOfDay: false) is { } minutes)
                    time = new TimeOnly(minutes / 60, minutes % 60);
                else
                    Error($"{path}.time", $"'{timeText}' is not a time of day like 15:00");
            }
            var (platform, channelId) = channel.Count == 1 ? channel.Single() : KeyValuePair.Create("", "");
            return new OrgDigest
            {
                Name = name,
                Platform = platform,
                ChannelId = channelId,
                ScopeKind = scopeKind,
                ScopeKey = scopeKey,
                Variant = variant,
                Day = day,
                Time = time,
                TimeZone = TimeZone(fields, path),
                Locale = Locale(fields, path),
                Enabled = Flag(fields, "enabled", path),
            };
        }

        /// <summary>
        /// A digest's scope is a mapping with exactly one field: <c>{ team: KEY }</c>,
        /// <c>{ department: KEY }</c> or <c>{ organisation: true }</c>.
        /// </summary>
        private (string Kind, string? Key) Scope(Dictionary<string, YamlNode> digest, string path)
        {
            var scopePath = $"{path}.scope";
            if (!digest.TryGetValue("scope", out var node) || IsNull(node))
            {
                Error(scopePath, "is required: { team: KEY }, { department: KEY } or { organisation: true }");
                return ("", null);
            }
            var fields = Fields(node, scopePath, ScopeFields);
            if (fields is null)
                return ("", null);
            if (fields.Count != 1)
            {
                if (fields.Keys.Count(ScopeFields.Contains) != 1)
                    Error(scopePath, "name exactly one of team, department or organisation");
                return ("", null);
            }
            var kind = fields.Keys.Single();
            if (kind == OrgScopeKinds.Organisation)
            {
                var value = Text(fields, kind, scopePath, required: true);
                if (value is not null && !string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
                    Error($"{scopePath}.{kind}", $"'{value}' must be true (write {{ organisation: true }} for the whole organisation)");
                return (kind, null);
            }
            var key = Text(fields, kind, scopePath, required: true);
            if (key is not null && !OrgValues.IsKey(key))
                Error($"{scopePath}.{kind}", $"'{key}' is not a valid {kind} key");
            else if (key is not null && known is not null && !Exists(kind, key))
                Error($"{scopePath}.{kind}", $"'{key}' is not a {kind} in this file or the database");
            return (kind, key);
        }

        private bool Exists(string kind, string key) => kind == OrgScopeKinds.Team
            ? fileTeamKeys.Contains(key) || known!.TeamKeys.Contains(key)
            : fileDepartmentKeys.Contains(key) || known!.DepartmentKeys.Contains(key);

        private string Key(Dictionary<string, YamlNode> fields, string path)
        {
            var key = Text(fields, "key", path, required: true);
            if (key is not null && !OrgValues.IsKey(key))
                Error($"{path}.key", $"'{key}' is not a valid key (letters, digits, '.', '_' and '-', starting with a letter or digit)");
            return key ?? "";
        }

        /// <summary>A locale field (a person's, a channel's, or the organisation's <c>defaultLocale</c>); null when left out.</summary>
        private string? Locale(Dictionary<string, YamlNode> fields, string path, string name = "locale") =>
            Checked(fields, name, path, OrgValues.IsLocale, "is not a known locale");

        private string TimeZone(Dictionary<string, YamlNode> fields, string path) =>
            Checked(fields, "timeZone", path, OrgValues.IsIanaTimeZone, "is not a known IANA time zone") ?? OrgDefaults.TimeZone;

        /// <summary>Members as written (invalid entries included, as ""), so positions match the file.</summary>
        private List<string> Members(Dictionary<string, YamlNode> fields, string path)
        {
            var members = Scalars(fields, "members", path, (value, itemPath) =>
            {
                if (!OrgValues.IsEmail(value))
                    Error(itemPath, $"'{value}' is not an e-mail address");
                else
                    Reference(value, itemPath);
                return value;
            });
            Unique(members.Select(member => (member.Value ?? "", member.Path)), "members", StringComparer.OrdinalIgnoreCase);
            return members.Select(member => member.Value ?? "").ToList();
        }

        private Dictionary<string, string> Channels(Dictionary<string, YamlNode> owner, string name, string path)
        {
            if (!owner.TryGetValue(name, out var node) || IsNull(node))
                return [];
            var channelsPath = $"{path}.{name}";
            var fields = Fields(node, channelsPath, [.. OrgPlatforms.All]);
            return fields is null ? [] : ChatIds(fields, channelsPath, format => format.ChannelIdProblem);
        }

        /// <summary>The ids given per platform in <paramref name="fields"/>, each checked by its platform's format.</summary>
        private Dictionary<string, string> ChatIds(Dictionary<string, YamlNode> fields, string path, Func<IChatIdFormat, Func<string, string?>> problem)
        {
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var platform in OrgPlatforms.All)
            {
                if (Text(fields, platform, path) is not { } id)
                    continue;
                if (problem(idFormats[platform])(id) is { } complaint)
                    Error($"{path}.{platform}", $"'{id}' {complaint}");
                else
                    ids[platform] = id;
            }
            return ids;
        }

        private string? Email(Dictionary<string, YamlNode> fields, string name, string path, bool required = false)
        {
            var value = Text(fields, name, path, required);
            if (value is not null && !OrgValues.IsEmail(value))
            {
                Error($"{path}.{name}", $"'{value}' is not an e-mail address");
                return name == "email" ? null : value;
            }
            return value;
        }

        private string? Checked(Dictionary<string, YamlNode> fields, string name, string path, Func<string, bool> isValid, string complaint)
        {
            var value = Text(fields, name, path);
            if (value is null || isValid(value))
                return value;
            Error(FieldPath(path, name), $"'{value}' {complaint}");
            return null;
        }

        /// <summary>A text field: null when absent or null; an error when it is a list or mapping, or required and missing.</summary>
        private string? Text(Dictionary<string, YamlNode> fields, string name, string path, bool required = false)
        {
            var fieldPath = FieldPath(path, name);
            if (!fields.TryGetValue(name, out var node) || IsNull(node))
            {
                if (required)
                    Error(fieldPath, "is required");
                return null;
            }
            if (node is not YamlScalarNode scalar)
            {
                Error(fieldPath, $"expected a single value, not {Describe(node)}");
                return null;
            }
            var value = scalar.Value?.Trim() ?? "";
            if (value.Length == 0)
            {
                Error(fieldPath, required ? "is required" : "must not be empty");
                return null;
            }
            return value;
        }

        /// <summary>A list of single values, each converted by <paramref name="convert"/> (which reports its own errors).</summary>
        private List<(T? Value, string Path)> Scalars<T>(Dictionary<string, YamlNode> fields, string name, string path, Func<string, string, T?> convert)
        {
            var result = new List<(T?, string)>();
            foreach (var (node, itemPath) in Items(fields, name, path))
            {
                if (node is YamlScalarNode scalar && !IsNull(node) && scalar.Value?.Trim() is { Length: > 0 } value)
                    result.Add((convert(value, itemPath), itemPath));
                else
                {
                    Error(itemPath, node is YamlScalarNode ? "must not be empty" : $"expected a single value, not {Describe(node)}");
                    result.Add((default, itemPath));
                }
            }
            return result;
        }

        private List<(YamlNode Node, string Path)> Items(Dictionary<string, YamlNode> fields, string name, string path)
        {
            var listPath = path.Length == 0 ? name : $"{path}.{name}";
            if (!fields.TryGetValue(name, out var node) || IsNull(node))
                return [];
            if (node is not YamlSequenceNode sequence)
            {
                Error(listPath, $"expected a list, not {Describe(node)}");
                return [];
            }
            return sequence.Children.Select((child, index) => (child, $"{listPath}[{index}]")).ToList();
        }

        /// <summary>The fields of a mapping by name; unknown fields are reported (with a guess when one is close).</summary>
        private Dictionary<string, YamlNode>? Fields(YamlNode node, string path, IReadOnlyList<string> known)
        {
            if (node is not YamlMappingNode mapping)
            {
                Error(path, $"expected a mapping of fields ({string.Join(", ", known)}), not {Describe(node)}");
                return null;
            }
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = keyNode is YamlScalarNode { Value: { } text } ? text : keyNode.ToString();
                var fieldPath = path.Length == 0 ? key : $"{path}.{key}";
                if (known.Contains(key))
                    fields[key] = value;
                else if (Closest(key, known) is { } guess)
                    Error(fieldPath, $"unknown field (did you mean '{guess}'?)");
                else
                    Error(fieldPath, $"unknown field (expected {string.Join(", ", known)})");
            }
            return fields;
        }

        private void Unique(IEnumerable<(string Value, string Path)> entries, string what, StringComparer comparer)
        {
            var first = new Dictionary<string, string>(comparer);
            foreach (var (value, path) in entries)
            {
                if (value.Length == 0)
                    continue;
                if (first.TryGetValue(value, out var firstPath))
                    Error(path, $"'{value}' is listed twice in {what} (first at {firstPath})");
                else
                    first[value] = path;
            }
        }

        private void Error(string path, string message) => errors.Add(new(path, message));

        private static string FieldPath(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

        private static string Describe(YamlNode node) => node switch
        {
            YamlSequenceNode => "a list",
            YamlMappingNode => "a mapping",
            YamlScalarNode { Value: var value } => $"the value '{value}'",
            _ => node.NodeType.ToString(),
        };

        private static string? Closest(string key, IReadOnlyList<string> known) =>
            known.Select(candidate => (candidate, distance: Distance(key.ToUpperInvariant(), candidate.ToUpperInvariant())))
                .Where(pair => pair.distance <= 2)
                .OrderBy(pair => pair.distance)
                .Select(pair => pair.candidate)
                .FirstOrDefault();

        private static int Distance(string a, string b)
        {
            var row = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var diagonal = row[0];
                row[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                    diagonal = above;
                }
            }
            return row[b.Length];
        }
    }
}
