using System.Text.Json.Nodes;

namespace KudosRelay.Testing;

/// <summary>
/// The repository, found by walking up from the test binaries to <c>KudosRelay.sln</c>, and the copies of
/// public specifications and example payloads the tests read (<c>tests/specs</c>, listed in its SOURCES.md).
/// </summary>
public static class SpecFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root { get; } = Path.Combine(RepositoryRoot, "tests", "specs");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    public static JsonNode Load(params string[] parts) => JsonNode.Parse(Read(parts))!;

    /// <summary>An example payload without the provenance notes ("_…" keys) some examples carry.</summary>
    public static JsonObject Example(params string[] parts)
    {
        var example = Load(parts).AsObject();
        foreach (var key in example.Select(pair => pair.Key).Where(key => key.StartsWith('_')).ToList())
            example.Remove(key);
        return example;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KudosRelay.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no KudosRelay.sln above {AppContext.BaseDirectory}");
    }
}
