using System.Threading.Channels;
using KudosRelay.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Core.Outbox;

public sealed record OutboxDispatchOptions
{
    /// <summary>Identifies this process's leases; unique per instance so a restarted process never completes a dead one's work.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public int BatchSize { get; init; } = 100;

    /// <summary>Parallel sends within one batch. Platform rate limits are kept by the senders themselves.</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>
    /// Renewed every third of itself while a batch is out (a heartbeat), so it only needs to outlast a pause of the
    /// process; short, so that another instance takes over a dead one's messages soon.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many failed attempts a message is dead-lettered. 10 attempts with back-off span about a day.</summary>
    public int MaxAttempts { get; init; } = 10;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(4);
}

/// <summary>One pass: how many messages were leased (and sent), and how many due ones were scheduled for later by their rate budgets.</summary>
public sealed record DispatchPass(int Leased, int Paced);

/// <summary>
/// One pass of delivery: lease what is due and may be sent now, send it through the sender of its platform, record
/// the outcome. The hosted worker calls <see cref="DispatchAsync"/> on a timer; tests call it directly.
/// </summary>
public sealed partial class OutboxDispatcher(
    OutboxStore store,
    IEnumerable<IChatSender> senders,
    TimeProvider clock,
    OutboxDispatchOptions options,
    ILogger<OutboxDispatcher> logger)
{
    private readonly Dictionary<string, IChatSender> sendersByPlatform =
        senders.GroupBy(s => s.Platform, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);

    public string Owner => options.Owner;

    /// <summary>
    /// Delivers one batch of due messages and returns how many were leased. <paramref name="sendCancellation"/>
    /// (the host's stop) cuts the sends short: a send waiting on a platform is abandoned, the rest
    /// of the batch is not started, and all of them go back to the queue with their leases released and no attempt
    /// counted; what the platforms did answer is recorded either way.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken, CancellationToken sendCancellation = default) =>
        (await DispatchAsync(cancellationToken, sendCancellation)).Leased;

    /// <summary>
    /// As <see cref="DispatchDueAsync"/>, also telling how many due messages were scheduled for later to keep to their
    /// platforms' rate budgets: only what can be sent now is leased, so no send waits for a limit while it holds a lease.
    /// </summary>
    public async Task<DispatchPass> DispatchAsync(CancellationToken cancellationToken, CancellationToken sendCancellation = default)
    {
        await PrunePacingWhenDueAsync(cancellationToken);
        var batch = await store.LeaseSendableAsync(
            options.Owner, options.BatchSize, options.LeaseDuration, candidate => BudgetsOf(candidate.Target, candidate.UpdatesInPlace), cancellationToken);
        if (batch.Leased.Count == 0)
            return new DispatchPass(0, batch.Paced);

        // Each outcome is recorded as soon as the platform answers, not when the whole batch is done, and a send keeps
        // its place among the Concurrency until its outcome is committed: a crash then repeats at most Concurrency
        // sends. Outcomes arriving while one commit runs share the next one.
        var recorded = Channel.CreateUnbounded<Recording>(new UnboundedChannelOptions { SingleReader = true });
        var recorder = RecordAsync(recorded.Reader);
        using var heartbeat = new CancellationTokenSource();
        var renewing = RenewLeasesAsync(heartbeat.Token);
        try
        {
            // Not cancelled itself: every message of the batch gets an outcome, so none keeps a lease it will not use.
            await Parallel.ForEachAsync(
                batch.Leased,
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
                async (message, _) =>
                {
                    var recording = new Recording(await DeliverAsync(message, sendCancellation));
                    recorded.Writer.TryWrite(recording);
                    await recording.Committed.Task;
                });
        }
        finally
        {
            recorded.Writer.TryComplete();
            await recorder;
            await heartbeat.CancelAsync();
            await renewing;
        }
        return new DispatchPass(batch.Leased.Count, batch.Paced);
    }

    /// <summary>The rate budgets a message spends, as the sender of its platform names them.</summary>
    private IReadOnlyList<SendBudget> BudgetsOf(ChatTarget target, bool updatesInPlace) =>
        sendersByPlatform.TryGetValue(target.Platform, out var sender) ? sender.BudgetsFor(target, updatesInPlace) : [];

    /// <summary>An outcome on its way to the database; <see cref="Committed"/> completes once it is there (or its commit failed).</summary>
    private sealed record Recording(DeliveryOutcome Outcome)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task RecordAsync(ChannelReader<Recording> outcomes)
    {
        var pending = new List<Recording>();
        Exception? failed = null;
        while (await outcomes.WaitToReadAsync(CancellationToken.None))
        {
            pending.Clear();
            while (outcomes.TryRead(out var recording))
                pending.Add(recording);
            try
            {
                await store.CompleteAsync(options.Owner, pending.ConvertAll(recording => recording.Outcome), CancellationToken.None);
            }
            catch (Exception exception)
            {
                // Those messages keep their leases until they expire and are sent again then; the rest of the batch goes on.
                failed ??= exception;
            }
            foreach (var recording in pending)
                recording.Committed.TrySetResult();
        }
        if (failed is not null)
            throw failed;
    }

    private async Task PrunePacingWhenDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < nextPacingPrune)
            return;
        nextPacingPrune = now + PacingPruneInterval;
        await store.PrunePacingAsync(cancellationToken);
    }

    /// <summary>Budgets whose time has passed are forgotten this often; meanwhile they only take a little space.</summary>
    private static readonly TimeSpan PacingPruneInterval = TimeSpan.FromMinutes(1);

    private DateTimeOffset nextPacingPrune = DateTimeOffset.MinValue;

    /// <summary>
    /// While a batch is out, its leases are renewed every third of <see cref="OutboxDispatchOptions.LeaseDuration"/>, so the
    /// lease can be short: a live instance keeps its rows, and a dead one's rows are taken over soon after it stops.
    /// </summary>
    private async Task RenewLeasesAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.LeaseDuration / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                await store.RenewLeasesAsync(options.Owner, options.LeaseDuration, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A failed renewal only shortens the lease; the batch goes on, and its outcomes are still recorded.
            LogRenewalFailed(exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Releases this instance's unfinished leases so another instance can take them at once.</summary>
    public Task<int> ReleaseLeasesAsync(CancellationToken cancellationToken) => store.ReleaseLeasesAsync(options.Owner, cancellationToken);

    private async Task<DeliveryOutcome> DeliverAsync(LeasedMessage message, CancellationToken cancellationToken)
    {
        var attempt = message.Attempts + 1;
        var result = await SendAsync(message, attempt, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        switch (result)
        {
            case SendResult.Deferred deferred:
                LogDeferred(message.Id, message.Target.Platform, deferred.Reason, deferred.Wait);
                return new DeliveryOutcome(message.Id, OutboxStatus.Pending, message.Attempts, now + deferred.Wait, deferred.Reason, null, Deferred: true);
            case SendResult.Sent sent when PrintsInstead(message.Target.Platform):
                return new DeliveryOutcome(message.Id, OutboxStatus.Printed, attempt, null, null, sent.MessageRef);
            case SendResult.Sent sent:
                LogSent(message.Id, message.Target.Platform, attempt);
                return new DeliveryOutcome(message.Id, OutboxStatus.Sent, attempt, null, null, sent.MessageRef);
            case SendResult.Transient { Throttled: true, RetryAfter: { } pause } transient when attempt < options.MaxAttempts:
                // Everything else spending the same budgets would meet the same answer: it waits too, on every instance.
                await store.PauseAsync(BudgetsOf(message.Target, message.ReplacesMessageId is not null), now + pause, CancellationToken.None);
                var resumeAt = now + RetryDelay(attempt, pause);
                LogRetrying(message.Id, message.Target.Platform, attempt, transient.Error, resumeAt);
                return new DeliveryOutcome(message.Id, OutboxStatus.Pending, attempt, resumeAt, transient.Error, null);
            case SendResult.Transient transient when attempt < options.MaxAttempts:
                var retryAt = now + RetryDelay(attempt, transient.RetryAfter);
                LogRetrying(message.Id, message.Target.Platform, attempt, transient.Error, retryAt);
                return new DeliveryOutcome(message.Id, OutboxStatus.Pending, attempt, retryAt, transient.Error, null);
            case SendResult.Transient transient:
                var reason = $"gave up after {attempt} attempts: {transient.Error}";
                LogDead(message.Id, message.Target.Platform, reason);
                return new DeliveryOutcome(message.Id, OutboxStatus.Dead, attempt, null, reason, null);
            case SendResult.Permanent permanent:
                LogDead(message.Id, message.Target.Platform, permanent.Error);
                return new DeliveryOutcome(message.Id, OutboxStatus.Dead, attempt, null, permanent.Error, null);
            default:
                throw new InvalidOperationException($"unknown send result {result.GetType().Name}");
        }
    }

    private async Task<SendResult> SendAsync(LeasedMessage message, int attempt, CancellationToken cancellationToken)
    {
        if (!sendersByPlatform.TryGetValue(message.Target.Platform, out var sender)
            && !sendersByPlatform.TryGetValue(ConsoleChatSenderName, out sender))
            return new SendResult.Permanent($"no sender is configured for platform '{message.Target.Platform}'");

        if (cancellationToken.IsCancellationRequested)
            return new SendResult.Deferred("interrupted by shutdown", TimeSpan.Zero);

        // An update in place needs the original's platform reference; until the original is sent, wait.
        if (message.ReplacesMessageId is not null && message.ReplacesMessageRef is null)
            return new SendResult.Deferred($"waiting for message {message.ReplacesMessageId} to be sent first", TimeSpan.FromSeconds(5));

        try
        {
            return await sender.SendAsync(
                new OutboundMessage(message.Id, message.Target, message.Message, message.ReplacesMessageRef, attempt), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Deferred("interrupted by shutdown", TimeSpan.Zero);
        }
        catch (Exception exception)
        {
            // A sender bug must not stall the queue: it counts as a failed attempt and ends in dead-letter.
            return new SendResult.Transient($"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>True when messages for <paramref name="platform"/> go to the console sender: printed, not delivered.</summary>
    private bool PrintsInstead(string platform) =>
        !sendersByPlatform.ContainsKey(platform) || string.Equals(platform, ConsoleChatSenderName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Exponential back-off with jitter, never sooner than the platform asked for.</summary>
    internal TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var exponential = options.FirstRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = exponential < options.MaxRetryDelay ? exponential : options.MaxRetryDelay;
        // Equal jitter: half fixed, half random, so retries from many messages spread out without collapsing to zero.
        var jittered = capped / 2 + capped / 2 * Random.Shared.NextDouble();
        return retryAfter is { } asked && asked > jittered ? asked : jittered;
    }

    /// <summary>The platform name of the fallback sender that prints messages instead of delivering them.</summary>
    public const string ConsoleChatSenderName = "console";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox message {MessageId} sent to {Platform} on attempt {Attempt}")]
    private partial void LogSent(long messageId, string platform, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing outbox leases failed ({ErrorType}: {Error}); the batch goes on")]
    private partial void LogRenewalFailed(string errorType, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox message {MessageId} to {Platform} deferred without an attempt ({Reason}) for {Wait}")]
    private partial void LogDeferred(long messageId, string platform, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} to {Platform} failed on attempt {Attempt} ({Error}); retrying at {RetryAt:o}")]
    private partial void LogRetrying(long messageId, string platform, int attempt, string error, DateTime retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} to {Platform} dead-lettered: {Reason}")]
    private partial void LogDead(long messageId, string platform, string reason);
}
