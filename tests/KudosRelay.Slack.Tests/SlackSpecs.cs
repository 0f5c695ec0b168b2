using System.Text.Json.Nodes;

namespace KudosRelay.Slack.Tests;

/// <summary>The shared specifications (<c>../shared/specs/</c> beside the repository) and the repository root.</summary>
internal static class SlackSpecs
{
    public static string Root { get; } = FindUp(dir => Directory.Exists(Path.Combine(dir, "shared", "specs", "slack")), "shared/specs/slack") is var d
        ? Path.Combine(d, "shared", "specs")
        : "";

    public static string RepositoryRoot { get; } = FindUp(dir => File.Exists(Path.Combine(dir, "KudosRelay.sln")), "KudosRelay.sln");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static JsonNode Json(params string[] parts) => JsonNode.Parse(File.ReadAllText(PathOf(parts)))!;

    private static string FindUp(Func<string, bool> found, string what)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no {what} above {AppContext.BaseDirectory}");
    }
}
