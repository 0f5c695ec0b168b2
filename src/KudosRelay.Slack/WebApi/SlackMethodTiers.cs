namespace KudosRelay.Slack.WebApi;

/// <summary>
/// The rate tier of each Web API method the client calls, as Slack publishes them
/// (<c>tests/specs/slack/web-api/rate_limit_tiers.json</c>; a test keeps this table equal to that file).
/// </summary>
internal static class SlackMethodTiers
{
    internal static readonly IReadOnlyDictionary<string, string> Used = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["auth.test"] = "SpecialTier_auth_test",
        ["chat.postEphemeral"] = "Tier4",
        ["chat.postMessage"] = "SpecialTier_chat_postMessage",
        ["chat.update"] = "Tier3",
        ["conversations.history"] = "Tier3",
        ["conversations.open"] = "Tier3",
        ["users.info"] = "Tier4",
        ["users.lookupByEmail"] = "Tier3",
        ["views.open"] = "Tier4",
        ["views.publish"] = "Tier4",
    };

    public static string TierOf(string method) => Used.TryGetValue(method, out var tier) ? tier : "Tier2";
}
