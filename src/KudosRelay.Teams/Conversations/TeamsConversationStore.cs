using System.Text.Json;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Teams.Conversations;

/// <summary>What the bot needs to write into a conversation later, as learned from a verified activity.</summary>
internal sealed record ConversationReference
{
    public string ConversationId { get; init; } = "";
    public string ConversationType { get; init; } = "";
    public string? TenantId { get; init; }
    public string ServiceUrl { get; init; } = "";
    public string BotId { get; init; } = "";
    public string? UserId { get; init; }
    public string? UserAadId { get; init; }
    public string? TeamId { get; init; }
    public bool Installed { get; init; }
}

/// <summary>The <c>teams_conversations</c> table (migration 0002) and the Teams copy in <c>chat_identities</c>.</summary>
internal sealed class TeamsConversationStore(Db db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A message in a known conversation does not need a write per message: remember what was written…
    private readonly ReferenceCache saved = new(clock);

    // …and a reply to it does not need a read per message: remember what was read.
    private readonly ReferenceCache read = new(clock);

    private const string Columns = """
        conversation_id AS ConversationId, conversation_type AS ConversationType, tenant_id AS TenantId, service_url AS ServiceUrl,
        bot_id AS BotId, user_id AS UserId, user_aad_id AS UserAadId, team_id AS TeamId, installed AS Installed
        """;

    /// <summary>
    /// Upserts the reference, unless this process wrote the very same one lately; <paramref name="always"/>
    /// for installs, which must reach the database even if another instance recorded an uninstall since.
    /// </summary>
    public async Task SaveAsync(ConversationReference reference, CancellationToken cancellationToken, bool always = false)
    {
        if (!always && saved.Find(reference.ConversationId) == reference)
            return;
        var sql = db.Dialect switch
        {
            SqlDialect.Sqlite => """
                INSERT INTO teams_conversations (conversation_id, conversation_type, tenant_id, service_url, bot_id, user_id, user_aad_id, team_id, installed, updated_at)
                VALUES (@ConversationId, @ConversationType, @TenantId, @ServiceUrl, @BotId, @UserId, @UserAadId, @TeamId, @Installed, @Now)
                ON CONFLICT (conversation_id) DO UPDATE SET
                    conversation_type = excluded.conversation_type, tenant_id = COALESCE(excluded.tenant_id, tenant_id),
                    service_url = excluded.service_url, bot_id = excluded.bot_id, user_id = COALESCE(excluded.user_id, user_id),
                    user_aad_id = COALESCE(excluded.user_aad_id, user_aad_id), team_id = COALESCE(excluded.team_id, team_id),
                    installed = excluded.installed, updated_at = excluded.updated_at
                """,
            SqlDialect.SqlServer => """
                UPDATE teams_conversations WITH (UPDLOCK, HOLDLOCK) SET
                    conversation_type = @ConversationType, tenant_id = COALESCE(@TenantId, tenant_id), service_url = @ServiceUrl,
                    bot_id = @BotId, user_id = COALESCE(@UserId, user_id), user_aad_id = COALESCE(@UserAadId, user_aad_id),
                    team_id = COALESCE(@TeamId, team_id), installed = @Installed, updated_at = @Now
                WHERE conversation_id = @ConversationId;
                IF @@ROWCOUNT = 0
                    INSERT INTO teams_conversations (conversation_id, conversation_type, tenant_id, service_url, bot_id, user_id, user_aad_id, team_id, installed, updated_at)
                    VALUES (@ConversationId, @ConversationType, @TenantId, @ServiceUrl, @BotId, @UserId, @UserAadId, @TeamId, @Installed, @Now);
                """,
            _ => throw new NotSupportedException(db.Dialect.ToString()),
        };
        var now = clock.GetUtcNow().UtcDateTime;
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, new
            {
                reference.ConversationId,
                reference.ConversationType,
                reference.TenantId,
                reference.ServiceUrl,
                reference.BotId,
                reference.UserId,
                reference.UserAadId,
                reference.TeamId,
                reference.Installed,
                Now = now,
            }, transaction, cancellationToken: cancellationToken));
            // People from the org file have a Teams identity row: keep their reference there too, for the directory.
            if (reference is { ConversationType: "personal", UserAadId: { Length: > 0 } })
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE chat_identities SET conversation_reference = @Reference, workspace_id = COALESCE(@TenantId, workspace_id), updated_at = @Now
                    WHERE platform = 'teams' AND user_id = @UserAadId
                    """, new { Reference = JsonSerializer.Serialize(reference, Json), reference.TenantId, reference.UserAadId, Now = now },
                    transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
        // What is stored now is a merge of this and the old row (COALESCE), so the next read goes to the database.
        read.Forget(reference.ConversationId);
        saved.Remember(reference);
    }

    public async Task<ConversationReference?> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (read.Find(conversationId) is { } recent)
            return recent;
        var found = await db.WithConnectionAsync(connection => connection.QuerySingleOrDefaultAsync<ConversationReference>(new CommandDefinition(
            $"SELECT {Columns} FROM teams_conversations WHERE conversation_id = @ConversationId",
            new { ConversationId = conversationId }, cancellationToken: cancellationToken)), cancellationToken);
        if (found is not null)
            read.Remember(found);
        return found;
    }

    /// <summary>
    /// Where to reach a person: their personal conversation when they installed the bot, else any
    /// installed conversation of theirs (a team or chat they share with the bot), newest first.
    /// </summary>
    public Task<ConversationReference?> FindForUserAsync(string aadObjectId, CancellationToken cancellationToken) =>
        FirstInstalledAsync("user_aad_id = @AadObjectId", "CASE conversation_type WHEN 'personal' THEN 0 ELSE 1 END, updated_at DESC",
            new { AadObjectId = aadObjectId }, cancellationToken);

    /// <summary>Any conversation the bot is installed in within a tenant: its service URL can open a 1:1 with anyone there.</summary>
    public Task<ConversationReference?> FindForTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        FirstInstalledAsync("tenant_id = @TenantId", "updated_at DESC", new { TenantId = tenantId }, cancellationToken);

    /// <summary>The first installed conversation matching <paramref name="condition"/> (a constant of this store; values are parameters).</summary>
    private Task<ConversationReference?> FirstInstalledAsync(string condition, string orderBy, object parameters, CancellationToken cancellationToken)
    {
        var top = db.Dialect == SqlDialect.SqlServer ? "TOP (1) " : "";
        var limit = db.Dialect == SqlDialect.Sqlite ? " LIMIT 1" : "";
        return db.WithConnectionAsync(connection => connection.QuerySingleOrDefaultAsync<ConversationReference>(new CommandDefinition($"""
            SELECT {top}{Columns} FROM teams_conversations
            WHERE {condition} AND installed = 1
            ORDER BY {orderBy}{limit}
            """, parameters, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>The Azure AD object id behind a Teams user id (<c>29:…</c>), when that user has written to the bot.</summary>
    public async Task<string?> FindAadIdAsync(string userId, CancellationToken cancellationToken) =>
        await db.WithConnectionAsync(connection => connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT user_aad_id FROM teams_conversations WHERE user_id = @UserId AND user_aad_id IS NOT NULL",
            new { UserId = userId }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Stops proactive messages to a conversation the bot was removed from.</summary>
    public async Task UninstallAsync(string conversationId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE teams_conversations SET installed = 0, updated_at = @Now WHERE conversation_id = @ConversationId OR team_id = @ConversationId",
            new { ConversationId = conversationId, Now = now }, cancellationToken: cancellationToken)), cancellationToken);
        // A team id uninstalls every channel row of that team: simpler to forget everything than to find them.
        saved.Clear();
        read.Clear();
    }
}
