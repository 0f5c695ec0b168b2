using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using KudosRelay.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KudosRelay.Slack.Workspaces;

/// <summary>
/// What this instance knows about the workspaces it serves: the bot's own identity (from <c>auth.test</c>
/// at start) and the workspaces that uninstalled the app or revoked its token. Revocations live in the
/// database (<see cref="SlackWorkspaceStore"/>) so that a restart or another instance does not start
/// sending again; this class keeps a snapshot of them, refreshed every <see cref="RefreshEvery"/>.
/// </summary>
internal sealed partial class SlackWorkspaces(SlackWorkspaceStore store, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackWorkspaces> logger)
{
    /// <summary>
    /// How stale another instance's revocation may be here. In that window Slack itself refuses the
    /// revoked token (a permanent error), so the cost of staleness is one wasted call, not a delivery.
    /// </summary>
    internal static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(15);

    private volatile FrozenDictionary<string, WorkspaceRevocation> revoked = FrozenDictionary<string, WorkspaceRevocation>.Empty;
    private long loadedAtTicks = long.MinValue;

    /// <summary>The bot's workspace and user, once <c>auth.test</c> has answered.</summary>
    public BotIdentity? Bot { get; set; }

    /// <summary>Why the bot cannot talk to Slack (for example <c>invalid_auth</c>), or null when it can.</summary>
    public string? Problem { get; set; }

    /// <summary>
    /// Identifies the configured bot token without keeping it: a revocation remembers which token was
    /// revoked, so that a reinstall (which comes with a new token) is recognised at the next start.
    /// </summary>
    internal string TokenHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.BotToken ?? "")).AsSpan(0, 16));

    /// <summary>The revocation of this workspace (or, for a target without one, of the bot's own), from the snapshot as it is.</summary>
    public WorkspaceRevocation? Known(string? workspace) =>
        (workspace ?? Bot?.TeamId) is { Length: > 0 } team && revoked.TryGetValue(team, out var revocation) ? revocation : null;

    /// <summary>Like <see cref="Known"/>, after refreshing the snapshot when it is older than <see cref="RefreshEvery"/>.</summary>
    public async ValueTask<WorkspaceRevocation?> FindAsync(string? workspace, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var loadedAt = Interlocked.Read(ref loadedAtTicks);
        if (now - loadedAt >= RefreshEvery.Ticks && Interlocked.CompareExchange(ref loadedAtTicks, now, loadedAt) == loadedAt)
            await RefreshAsync(cancellationToken);
        return Known(workspace);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        revoked = (await store.RevokedAsync(cancellationToken)).ToFrozenDictionary(r => r.TeamId, StringComparer.Ordinal);
        Interlocked.Exchange(ref loadedAtTicks, clock.GetUtcNow().UtcTicks);
    }

    /// <summary>Stops sending to the workspace, here at once and on other instances within <see cref="RefreshEvery"/>.</summary>
    public async Task RevokeAsync(string teamId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await store.RevokeAsync(teamId, reason, at.UtcDateTime, TokenHash, cancellationToken);
        await RefreshAsync(cancellationToken);
        LogRevoked(teamId, reason);
    }

    /// <summary>
    /// A signed event from a revoked workspace, dated after the revocation, shows the app is installed
    /// again (Slack sends events only to installed apps). Retries of older events carry their original
    /// time and change nothing.
    /// </summary>
    public async Task SeenEventAsync(string teamId, DateTimeOffset eventTime, CancellationToken cancellationToken)
    {
        if (Known(teamId) is not { } revocation || eventTime.UtcDateTime <= revocation.RevokedAt)
            return;
        if (await store.ReinstateIfRevokedBeforeAsync(teamId, eventTime.UtcDateTime, cancellationToken))
            LogReinstated(teamId, "an event after the revocation");
        await RefreshAsync(cancellationToken);
    }

    /// <summary><c>auth.test</c> accepted the configured token for its workspace: if that is a new token, the app was reinstalled.</summary>
    public async Task TokenAcceptedAsync(BotIdentity bot, CancellationToken cancellationToken)
    {
        if (bot.TeamId.Length > 0 && await store.ReinstateIfTokenChangedAsync(bot.TeamId, TokenHash, cancellationToken))
            LogReinstated(bot.TeamId, "a new bot token");
        await RefreshAsync(cancellationToken);
        // Last, so that a known identity means the revocations are settled too.
        Bot = bot;
        Problem = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack workspace {Workspace} is no longer served ({Reason})")]
    private partial void LogRevoked(string workspace, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack workspace {Workspace} is served again ({Evidence})")]
    private partial void LogReinstated(string workspace, string evidence);
}
