using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KudosRelay.Teams.Packaging;

/// <summary>
/// Builds the app package Teams uploads: a zip holding exactly <c>manifest.json</c>,
/// <c>color.png</c>, <c>outline.png</c> and the manifest's translations (<c>bg.json</c>, <c>ru.json</c>,
/// <c>ro.json</c>, named in its <c>localizationInfo</c>), from the templates in <c>manifests/teams/</c>
/// (embedded in this assembly) with the ids filled in.
/// </summary>
public static class TeamsAppPackage
{
    /// <summary>The files of the package: the manifest, its icons and the translations its <c>localizationInfo</c> names.</summary>
    public static IReadOnlyList<string> Entries { get; } =
    [
        "manifest.json", "color.png", "outline.png",
        .. JsonNode.Parse(Template("manifest.json"))!["localizationInfo"]?["additionalLanguages"]?.AsArray()
            .Select(language => (string)language!["file"]!) ?? [],
    ];

    /// <summary>The manifest with <paramref name="botAppId"/> as bot id (and app id unless <paramref name="teamsAppId"/> is given).</summary>
    public static string Manifest(Guid botAppId, Guid? teamsAppId = null, string? domain = null, string? version = null)
    {
        var manifest = JsonNode.Parse(Template("manifest.json"))!.AsObject();
        manifest["id"] = (teamsAppId ?? botAppId).ToString();
        foreach (var bot in manifest["bots"]!.AsArray())
            bot!["botId"] = botAppId.ToString();
        manifest["validDomains"] = domain is { Length: > 0 } ? new JsonArray(domain) : new JsonArray();
        if (version is { Length: > 0 })
            manifest["version"] = version;
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static void Write(Stream output, Guid botAppId, Guid? teamsAppId = null, string? domain = null, string? version = null)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var name in Entries)
        {
            // A fixed timestamp keeps the package byte-for-byte the same for the same inputs.
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var stream = entry.Open();
            if (name == "manifest.json")
                stream.Write(System.Text.Encoding.UTF8.GetBytes(Manifest(botAppId, teamsAppId, domain, version)));
            else
                stream.Write(Template(name));
        }
    }

    public static byte[] Template(string name)
    {
        using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream($"TeamsApp.{name}")
            ?? throw new InvalidOperationException($"TeamsApp.{name} is not embedded");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    }
}
