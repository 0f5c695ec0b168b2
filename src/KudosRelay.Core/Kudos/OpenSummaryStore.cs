using System.Data.Common;
using Dapper;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// The summaries gathered over many transactions (a bulk import stores its file batch by batch and queues the summary
/// once at the end), from the import's start until the transaction that queues its messages. A summary still listed
/// when no import is running belongs to an import that stopped before sending: the next import of its source takes it over.
/// </summary>
internal sealed class OpenSummaryStore(TimeProvider clock)
{
    public Task OpenAsync(DbTransaction transaction, string summaryKey, string source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO open_summaries (summary_key, source, opened_at, updated_at) VALUES (@Key, @Source, @Now, @Now)",
            new { Key = summaryKey, Source = source, Now = now }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The open summaries of <paramref name="source"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(DbTransaction transaction, string source, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<string>(new CommandDefinition(
            "SELECT summary_key FROM open_summaries WHERE source = @Source ORDER BY opened_at, summary_key",
            new { Source = source }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>
    /// Marks the summary as still being gathered, in the transaction of the batch that adds to it. False when it is no
    /// longer open: another import took it over, and what this one stores now would reach nobody. The row stays locked
    /// until the batch commits, so a takeover waits for the batch and then takes its items too.
    /// </summary>
    public async Task<bool> TouchAsync(DbTransaction transaction, string summaryKey, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE open_summaries SET updated_at = @Now WHERE summary_key = @Key",
            new { Key = summaryKey, Now = clock.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>Closes the summary (its messages are being queued, or another import takes it over). False when it was closed already.</summary>
    public async Task<bool> CloseAsync(DbTransaction transaction, string summaryKey, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM open_summaries WHERE summary_key = @Key",
            new { Key = summaryKey }, transaction, cancellationToken: cancellationToken)) == 1;
}
