using KudosRelay.Core.People;

namespace KudosRelay.Testing;

/// <summary>
/// Chat id formats for tests that cannot see the adapters (Core's): every platform an org file may name accepts any
/// id except one starting with <c>bad-</c>. The adapters' real formats are tested in Host.Tests, which sees them all.
/// </summary>
public static class StandInIdFormats
{
    public static IReadOnlyList<IChatIdFormat> All { get; } = [.. OrgPlatforms.All.Select(platform => new StandIn(platform))];

    private sealed class StandIn(string platform) : IChatIdFormat
    {
        public string Platform => platform;

        public string? UserIdProblem(string value) => Problem(value, "user");

        public string? ChannelIdProblem(string value) => Problem(value, "channel");

        private string? Problem(string value, string kind) =>
            value.StartsWith("bad-", StringComparison.Ordinal) ? $"is not a {platform} {kind} id (stand-in format)" : null;
    }
}
