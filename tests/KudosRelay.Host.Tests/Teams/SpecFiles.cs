using System.Text.Json.Nodes;

namespace KudosRelay.Testing.Schemas;

/// <summary>The shared specification folder (<c>../shared/specs</c> beside the repository, or <c>KUDOSRELAY_SPECS</c>).</summary>
internal static class SpecFiles
{
    public static string Root { get; } = Find();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static JsonNode Load(string relative) => JsonNode.Parse(File.ReadAllText(Path(relative)))!;

    /// <summary>An example activity without the provenance notes ("_…" keys) the spec folder adds.</summary>
    public static JsonObject Example(string relative)
    {
        var example = Load(relative).AsObject();
        foreach (var key in example.Select(pair => pair.Key).Where(key => key.StartsWith('_')).ToList())
            example.Remove(key);
        return example;
    }

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("KUDOSRELAY_SPECS") is { Length: > 0 } configured)
            return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "specs");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("shared/specs not found above the test folder; set KUDOSRELAY_SPECS");
    }
}
