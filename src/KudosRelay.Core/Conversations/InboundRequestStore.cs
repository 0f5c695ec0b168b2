using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Conversations;

/// <summary>
/// The chat requests already handled, by the platform's id of the invocation (<see cref="InboundOrigin.RequestId"/>).
/// A claim is written in the transaction of what the request does, so either both are stored or neither is,
/// and a replay or a platform's retry finds the claim and does nothing.
/// </summary>
internal sealed class InboundRequestStore(Db db, TimeProvider clock)
{
    /// <summary>
    /// Far longer than any replay that can still pass a signature check (Slack's five minutes) or any platform
    /// retry (Teams and Slack retry within minutes); short enough that the table stays small.
    /// </summary>
    internal static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(5);

    /// <summary>The longest key stored as it is; a longer one is stored as its hash.</summary>
    private const int MaxKeyLength = 200;

    private long nextPruneTicks;

    /// <summary>True the first time <paramref name="requestId"/> is claimed (within <see cref="Retention"/>); false for a replay.</summary>
    public async Task<bool> ClaimAsync(DbTransaction transaction, string requestId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = transaction.Connection!;
        var nextPrune = Interlocked.Read(ref nextPruneTicks);
        if (now.Ticks >= nextPrune && Interlocked.CompareExchange(ref nextPruneTicks, (now + PruneEvery).Ticks, nextPrune) == nextPrune)
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM inbound_requests WHERE expires_at < @Now", new { Now = now }, transaction, cancellationToken: cancellationToken));
        var key = Key(requestId);
        // A key seen so long ago that it has expired counts as new, pruned or not.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM inbound_requests WHERE request_key = @Key AND expires_at < @Now", new { Key = key, Now = now }, transaction, cancellationToken: cancellationToken));
        var sql = db.Dialect.InsertUnlessExists("inbound_requests", "request_key, received_at, expires_at", "@Key, @Now, @ExpiresAt", "request_key", "request_key = @Key");
        var inserted = await db.UnlessDuplicateAsync(() => connection.ExecuteAsync(new CommandDefinition(
            sql, new { Key = key, Now = now, ExpiresAt = now + Retention }, transaction, cancellationToken: cancellationToken)), 0);
        return inserted > 0;
    }

    /// <summary>A claim in a transaction of its own, for work that runs its own transactions after it.</summary>
    public Task<bool> ClaimAsync(string requestId, CancellationToken cancellationToken) =>
        db.InTransactionAsync((_, transaction) => ClaimAsync(transaction, requestId, cancellationToken), cancellationToken);

    /// <summary>Forgets a claim whose work failed, so that the platform's retry is handled.</summary>
    public Task ReleaseAsync(string requestId, CancellationToken cancellationToken) =>
        db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM inbound_requests WHERE request_key = @Key", new { Key = Key(requestId) }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    private static string Key(string requestId) => requestId.Length <= MaxKeyLength
        ? requestId
        : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)));
}
