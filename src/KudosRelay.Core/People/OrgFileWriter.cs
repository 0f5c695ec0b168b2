using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KudosRelay.Core.People;

internal enum OrgExportFormat
{
    Yaml,
    Json,
}

/// <summary>
/// Writes an org document in the shape <see cref="OrgFileReader"/> reads, every field spelled out
/// (defaults included) so that the file shows the whole configuration. The one exception is the
/// <c>locale</c> of a team, department or digest: written only when the entry has its own, since
/// leaving it out is what makes the entry follow <c>defaultLocale</c> (which is always written).
/// </summary>
internal static partial class OrgFileWriter
{
    public static string Write(OrgDocument document, OrgExportFormat format)
    {
        var tree = ToTree(document);
        return format switch
        {
            OrgExportFormat.Yaml => WriteYaml(tree),
            OrgExportFormat.Json => WriteJson(tree),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown export format"),
        };
    }

    /// <summary>An ordered mapping; values are strings, booleans, whole numbers, lists or further mappings.</summary>
    private sealed class Map : List<(string Key, object Value)>
    {
        public void Add(string key, object? value)
        {
            if (value is not null)
                Add((key, value));
        }
    }

    private static Map ToTree(OrgDocument document) => new()
    {
        { "defaultLocale", document.DefaultLocale ?? OrgDefaults.Locale },
        { "nudges", Nudges(document.Nudges) },
        { "people", document.People.Select(Person).ToList<object>() },
        { "teams", document.Teams.Select(Team).ToList<object>() },
        { "departments", document.Departments.Select(Department).ToList<object>() },
        { "digests", document.Digests.Select(Digest).ToList<object>() },
    };

    private static Map Person(OrgPerson person) => new()
    {
        { "email", person.Email },
        { "name", person.Name },
        { "timeZone", person.TimeZone },
        { "locale", person.Locale },
        { OrgPlatforms.Slack, person.Identities.GetValueOrDefault(OrgPlatforms.Slack) },
        { OrgPlatforms.Teams, person.Identities.GetValueOrDefault(OrgPlatforms.Teams) },
    };

    private static Map Team(OrgTeam team) => new()
    {
        { "key", team.Key },
        { "name", team.Name },
        { "lead", team.Lead },
        { "members", team.Members.ToList<object>() },
        { "channels", Channels(team.Channels) },
        { "locale", team.Locale },
        { "postKudos", team.PostKudos ? null : false },
    };

    private static Map Department(OrgDepartment department) => new()
    {
        { "key", department.Key },
        { "name", department.Name },
        { "lead", department.Lead },
        { "members", department.Members.ToList<object>() },
        { "sla", OrgValues.FormatDuration(department.SlaMinutes) },
        { "workingHours", $"{OrgValues.FormatClockMinutes(department.WorkStartMinute)}-{OrgValues.FormatClockMinutes(department.WorkEndMinute)}" },
        { "workingDays", department.WorkingDays.Select(day => (object)OrgValues.ShortDay(day)).ToList() },
        { "timeZone", department.TimeZone },
        { "locale", department.Locale },
        { "holidays", department.Holidays.Count == 0 ? null : department.Holidays.Select(day => (object)OrgValues.FormatDate(day)).ToList() },
        { "channels", Channels(department.Channels) },
        { "nudges", Nudges(department.Nudges) },
    };

    /// <summary>The fields a block sets; null for a block with none (it follows the level above).</summary>
    private static Map? Nudges(OrgNudges? nudges)
    {
        if (nudges is null || nudges.IsEmpty)
            return null;
        return new Map
        {
            { OrgNudgeFields.HeadsUpBefore, nudges.HeadsUpBefore?.ToString() },
            { OrgNudgeFields.Reminders, nudges.Reminders?.Select(wait => (object)wait.ToString()).ToList() },
            { OrgNudgeFields.LeadNote, nudges.LeadNote },
            { OrgNudgeFields.DailyBudget, nudges.DailyBudget },
            { OrgNudgeFields.WeeklyBudget, nudges.WeeklyBudget },
            { OrgNudgeFields.Grace, nudges.Grace?.ToString() },
        };
    }

    private static Map Digest(OrgDigest digest) => new()
    {
        { "name", digest.Name },
        { "channel", new Map { { digest.Platform, digest.ChannelId } } },
        { "scope", digest.ScopeKind == OrgScopeKinds.Organisation
            ? new Map { { OrgScopeKinds.Organisation, true } }
            : new Map { { digest.ScopeKind, digest.ScopeKey } } },
        { "variant", digest.Variant },
        { "day", digest.Day.ToString() },
        { "time", OrgValues.FormatTime(digest.Time) },
        { "timeZone", digest.TimeZone },
        { "locale", digest.Locale },
        { "enabled", digest.Enabled ? null : false },
    };

    private static Map? Channels(IReadOnlyDictionary<string, string> channels)
    {
        if (channels.Count == 0)
            return null;
        var map = new Map();
        foreach (var platform in channels.Keys.Order(StringComparer.Ordinal))
            map.Add(platform, channels[platform]);
        return map;
    }

    private static string WriteYaml(Map tree)
    {
        var stream = new YamlStream(new YamlDocument(ToYaml(tree)));
        var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        // YamlStream ends every document with an explicit "..." marker; a single-document file does not need it.
        var text = writer.ToString().TrimEnd();
        if (text.EndsWith("...", StringComparison.Ordinal))
            text = text[..^3].TrimEnd();
        return text + "\n";
    }

    private static YamlNode ToYaml(object value) => value switch
    {
        Map map => ToYamlMapping(map),
        List<object> list => new YamlSequenceNode(list.Select(ToYaml))
        {
            // Lists of plain values (members, days, holidays) read best on one line.
            Style = list.All(item => item is string) ? SequenceStyle.Flow : SequenceStyle.Block,
        },
        bool flag => new YamlScalarNode(flag ? "true" : "false") { Style = ScalarStyle.Plain },
        int number => new YamlScalarNode(number.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
        string text => new YamlScalarNode(text) { Style = NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any },
        _ => throw new InvalidOperationException($"cannot write a {value.GetType().Name}"),
    };

    private static YamlMappingNode ToYamlMapping(Map map)
    {
        var node = new YamlMappingNode();
        foreach (var (key, value) in map)
            node.Add(new YamlScalarNode(key), ToYaml(value));
        // Small mappings of plain values (channels, scope) read best on one line.
        if (map.Count <= 2 && map.All(entry => entry.Value is string or bool or int))
            node.Style = MappingStyle.Flow;
        return node;
    }

    // Quotes whatever another YAML reader could take for a number, boolean, null or time ("15:00"), or
    // that holds a colon: the file should mean the same to every tool that opens it.
    [GeneratedRegex(@"^(?:|~|null|true|false|yes|no|on|off|y|n|[-+]?[0-9][0-9_.:eE+-]*)$", RegexOptions.IgnoreCase)]
    private static partial Regex AmbiguousPattern();

    private static bool NeedsQuotes(string text) => text.Contains(':', StringComparison.Ordinal) || AmbiguousPattern().IsMatch(text);

    // Names in Cyrillic stay readable instead of becoming \u escapes.
    private static readonly JavaScriptEncoder Utf8Letters = JavaScriptEncoder.Create(UnicodeRanges.All);

    private static string WriteJson(Map tree)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Utf8Letters }))
            WriteJson(writer, tree);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteJson(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case Map map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }
                writer.WriteEndObject();
                break;
            case List<object> list:
                writer.WriteStartArray();
                foreach (var item in list)
                    WriteJson(writer, item);
                writer.WriteEndArray();
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            default:
                throw new InvalidOperationException($"cannot write a {value.GetType().Name}");
        }
    }
}
