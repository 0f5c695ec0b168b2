using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Slack.Workspaces;

/// <summary>A workspace that removed the app or revoked its bot token, and when.</summary>
internal sealed record WorkspaceRevocation
{
    public string TeamId { get; init; } = "";
    public DateTime RevokedAt { get; init; }
    public string Reason { get; init; } = "";

    /// <summary>The outbox's dead-letter reason: Slack's own word first, then what it means and what undoes it.</summary>
    public string Describe() =>
        $"{Reason}: Slack workspace {TeamId} removed KudosRelay or revoked its token at {RevokedAt:yyyy-MM-dd HH:mm:ss}Z; nothing is sent there until the app is reinstalled";
}

/// <summary>The <c>slack_workspaces</c> table: revocations that every instance honours and that survive restarts.</summary>
internal sealed class SlackWorkspaceStore(Db db, TimeProvider clock)
{
    public Task RevokeAsync(string teamId, string reason, DateTime at, string tokenHash, CancellationToken cancellationToken)
    {
        var sql = db.Dialect switch
        {
            SqlDialect.Sqlite => """
                INSERT INTO slack_workspaces (team_id, revoked_at, revoked_reason, revoked_token_hash, updated_at)
                VALUES (@TeamId, @At, @Reason, @TokenHash, @Now)
                ON CONFLICT (team_id) DO UPDATE SET
                    revoked_at = excluded.revoked_at, revoked_reason = excluded.revoked_reason,
                    revoked_token_hash = excluded.revoked_token_hash, updated_at = excluded.updated_at
                WHERE slack_workspaces.revoked_at IS NULL
                """,
            SqlDialect.SqlServer => """
                UPDATE slack_workspaces WITH (UPDLOCK, HOLDLOCK)
                SET revoked_at = @At, revoked_reason = @Reason, revoked_token_hash = @TokenHash, updated_at = @Now
                WHERE team_id = @TeamId AND revoked_at IS NULL;
                IF NOT EXISTS (SELECT 1 FROM slack_workspaces WHERE team_id = @TeamId)
                    INSERT INTO slack_workspaces (team_id, revoked_at, revoked_reason, revoked_token_hash, updated_at)
                    VALUES (@TeamId, @At, @Reason, @TokenHash, @Now);
                """,
            _ => throw new NotSupportedException(db.Dialect.ToString()),
        };
        var parameters = new { TeamId = teamId, At = at, Reason = reason, TokenHash = tokenHash, Now = clock.GetUtcNow().UtcDateTime };
        return db.InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Serves the workspace again when it was revoked before <paramref name="seenAt"/>; true when it was.</summary>
    public Task<bool> ReinstateIfRevokedBeforeAsync(string teamId, DateTime seenAt, CancellationToken cancellationToken) =>
        ClearAsync("revoked_at < @SeenAt", new { TeamId = teamId, SeenAt = seenAt, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken);

    /// <summary>Serves the workspace again when the token Slack now accepts for it is not the one that was revoked.</summary>
    public Task<bool> ReinstateIfTokenChangedAsync(string teamId, string tokenHash, CancellationToken cancellationToken) =>
        ClearAsync("(revoked_token_hash IS NULL OR revoked_token_hash <> @TokenHash)", new { TeamId = teamId, TokenHash = tokenHash, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken);

    private async Task<bool> ClearAsync(string condition, object parameters, CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE slack_workspaces SET revoked_at = NULL, revoked_reason = NULL, revoked_token_hash = NULL, updated_at = @Now
            WHERE team_id = @TeamId AND revoked_at IS NOT NULL AND {condition}
            """;
        var updated = await db.InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)), cancellationToken);
        return updated > 0;
    }

    public async Task<IReadOnlyList<WorkspaceRevocation>> RevokedAsync(CancellationToken cancellationToken) =>
        (await db.WithConnectionAsync(connection => connection.QueryAsync<WorkspaceRevocation>(new CommandDefinition(
            "SELECT team_id AS TeamId, revoked_at AS RevokedAt, revoked_reason AS Reason FROM slack_workspaces WHERE revoked_at IS NOT NULL",
            cancellationToken: cancellationToken)), cancellationToken)).ToList();
}
