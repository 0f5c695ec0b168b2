using System.Threading.Channels;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using Microsoft.Extensions.Hosting;

namespace KudosRelay.Teams.Inbound;

/// <summary>
/// Writes replies to the outbox by group commit: each request waits until its row is committed
/// (so a 200 still means the reply is durable), but the rows of all requests arriving meanwhile
/// share one transaction. With one writer at a time, SQLite stops spending its time on lock
/// contention between concurrent requests (bench/teams: about 700 → 2,000 replies/s on one core).
/// </summary>
internal sealed class ReplyWriter(Db db, OutboxStore outbox) : BackgroundService
{
    /// <summary>Enough to drain a burst in a few transactions; small enough to keep one transaction short.</summary>
    private const int MaxBatch = 256;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(OutboxMessage Message, TaskCompletionSource Committed);

    public async Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var pending = new Pending(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("the reply writer has stopped");
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
                    // The requests answer 500 and Teams delivers the activities again.
                    foreach (var pending in batch)
                        pending.Committed.TrySetException(exception);
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
