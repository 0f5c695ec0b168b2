using System.Text.Json.Nodes;

namespace KudosRelay.Testing;

/// <summary>
/// The shared specifications (<c>../shared/specs</c> beside the repository, or <c>KUDOSRELAY_SPECS</c>)
/// and the repository itself, found by walking up from the test binaries.
/// </summary>
public static class SpecFiles
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("KUDOSRELAY_SPECS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(FindUp(dir => Directory.Exists(Path.Combine(dir, "shared", "specs")), "shared/specs"), "shared", "specs");

    public static string RepositoryRoot { get; } = FindUp(dir => File.Exists(Path.Combine(dir, "KudosRelay.sln")), "KudosRelay.sln");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    public static JsonNode Load(params string[] parts) => JsonNode.Parse(Read(parts))!;

    /// <summary>An example payload without the provenance notes ("_…" keys) the spec folder adds.</summary>
    public static JsonObject Example(params string[] parts)
    {
        var example = Load(parts).AsObject();
        foreach (var key in example.Select(pair => pair.Key).Where(key => key.StartsWith('_')).ToList())
            example.Remove(key);
        return example;
    }

    private static string FindUp(Func<string, bool> found, string what)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no {what} above {AppContext.BaseDirectory}; set KUDOSRELAY_SPECS for the specs");
    }
}
