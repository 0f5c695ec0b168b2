using System.Threading.Channels;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Outbox;

/// <summary>
/// Writes outbox messages that have no other state to commit with (replies to chat requests, answers
/// to events) by group commit: each caller waits until its row is committed (so an acknowledgement
/// still means the message is durable), but the rows of all callers arriving meanwhile share one
/// transaction. With one writer at a time, SQLite stops spending its time on lock contention between
/// concurrent requests (bench/teams: about 700 → 2,000 replies/s on one core).
/// </summary>
public sealed class OutboxGroupCommit(Db db, OutboxStore outbox)
{
    /// <summary>Enough to drain a burst in a few transactions; small enough to keep one transaction short.</summary>
    private const int MaxBatch = 256;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(OutboxMessage Message, TaskCompletionSource Committed);

    /// <summary>Completes once the message is committed; fails when its transaction did.</summary>
    public async Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var pending = new Pending(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("the outbox group commit has stopped");
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// After a shared transaction failed, each row is written in its own, so that one bad row fails only its own
    /// caller (a request answers 500 and the platform delivers it again), not the others of the batch.
    /// </summary>
    private async Task OneByOneAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        foreach (var pending in batch)
        {
            try
            {
                await db.InTransactionAsync((_, transaction) => outbox.EnqueueAsync(transaction, pending.Message, stoppingToken), stoppingToken);
                pending.Committed.TrySetResult();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                pending.Committed.TrySetException(exception);
            }
        }
    }

    /// <summary>The single writer; runs for the life of the host.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
                    batch.Add(pending);
                try
                {
                    await db.InTransactionAsync(async (_, transaction) =>
                    {
                        foreach (var pending in batch)
                            await outbox.EnqueueAsync(transaction, pending.Message, stoppingToken);
                    }, stoppingToken);
                    foreach (var pending in batch)
                        pending.Committed.TrySetResult();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    if (batch.Count == 1)
                        batch[0].Committed.TrySetException(exception);
                    else
                        await OneByOneAsync(batch, stoppingToken);
                }
            }
        }
        finally
        {
            queue.Writer.TryComplete();
            while (queue.Reader.TryRead(out var left))
                left.Committed.TrySetCanceled(CancellationToken.None);
            foreach (var pending in batch)
                pending.Committed.TrySetCanceled(CancellationToken.None);
        }
    }
}
