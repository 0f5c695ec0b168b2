using KudosRelay.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Core.Outbox;

public sealed record OutboxDispatchOptions
{
    /// <summary>Identifies this process's leases; unique per instance so a restarted process never completes a dead one's work.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public int BatchSize { get; init; } = 100;

    /// <summary>Parallel sends within one batch. Platform rate limits are kept by the senders themselves.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Long enough for a batch to finish with its retries inside the HTTP handler, short enough that a crashed instance's work resumes quickly.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>After this many failed attempts a message is dead-lettered. 10 attempts with back-off span about a day.</summary>
    public int MaxAttempts { get; init; } = 10;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(4);
}

/// <summary>
/// One pass of delivery: lease what is due, send it through the sender of its platform, record
/// the outcome. The hosted worker calls <see cref="DispatchDueAsync"/> on a timer; tests call it directly.
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
    /// (the host's stop) cuts the sends short: a send waiting on a platform or a rate limit is abandoned, the rest
    /// of the batch is not started, and all of them go back to the queue with their leases released and no attempt
    /// counted; what the platforms did answer is recorded either way.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken, CancellationToken sendCancellation = default)
    {
        var batch = await store.LeaseDueAsync(options.Owner, options.BatchSize, options.LeaseDuration, cancellationToken);
        if (batch.Count == 0)
            return 0;

        var outcomes = new DeliveryOutcome[batch.Count];
        // Not cancelled itself: every message of the batch gets an outcome, so none keeps a lease it will not use.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batch.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
            async (index, _) => outcomes[index] = await DeliverAsync(batch[index], sendCancellation));
        await store.CompleteAsync(options.Owner, outcomes, CancellationToken.None);
        return batch.Count;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox message {MessageId} to {Platform} deferred without an attempt ({Reason}) for {Wait}")]
    private partial void LogDeferred(long messageId, string platform, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} to {Platform} failed on attempt {Attempt} ({Error}); retrying at {RetryAt:o}")]
    private partial void LogRetrying(long messageId, string platform, int attempt, string error, DateTime retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} to {Platform} dead-lettered: {Reason}")]
    private partial void LogDead(long messageId, string platform, string reason);
}
