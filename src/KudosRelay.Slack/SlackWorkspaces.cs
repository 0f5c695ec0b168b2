using System.Collections.Concurrent;

namespace KudosRelay.Slack;

/// <summary>
/// What this instance knows about the workspaces it serves: the bot's own identity (from
/// <c>auth.test</c> at start) and the workspaces that uninstalled the app or revoked its tokens,
/// which are never sent to again. Kept in memory: after a restart, <c>auth.test</c> and Slack's own
/// <c>token_revoked</c> answers rebuild it, and those answers are permanent errors anyway.
/// </summary>
internal sealed class SlackWorkspaces
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> revoked = new(StringComparer.Ordinal);

    /// <summary>The bot's workspace and user, once <c>auth.test</c> has answered.</summary>
    public WebApi.BotIdentity? Bot { get; set; }

    /// <summary>Why the bot cannot talk to Slack (for example <c>invalid_auth</c>), or null when it can.</summary>
    public string? Problem { get; set; }

    public void Revoke(string workspace, DateTimeOffset at) => revoked.TryAdd(workspace, at);

    /// <summary>True when the workspace (or, for a target without one, the bot's own) has revoked us.</summary>
    public bool IsRevoked(string? workspace) =>
        (workspace ?? Bot?.TeamId) is { Length: > 0 } team && revoked.ContainsKey(team);
}
