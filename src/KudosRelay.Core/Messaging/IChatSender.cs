using KudosRelay.Core.Outbox;

namespace KudosRelay.Core.Messaging;

/// <summary>Delivers outbox messages to one chat platform.</summary>
public interface IChatSender
{
    /// <summary>The platform name this sender serves, matching <see cref="ChatTarget.Platform"/>.</summary>
    string Platform { get; }

    Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// The platform's rate budgets a message to <paramref name="target"/> spends (<paramref name="updatesInPlace"/>:
    /// it replaces an earlier message). The outbox leases the message only when all of them have room, so every
    /// instance together keeps to them. None by default.
    /// </summary>
    IReadOnlyList<SendBudget> BudgetsFor(ChatTarget target, bool updatesInPlace) => [];
}

/// <summary>
/// One delivery attempt. When <paramref name="ReplacesMessageRef"/> is set, the sender updates that
/// earlier message in place instead of posting a new one.
/// </summary>
public sealed record OutboundMessage(long Id, ChatTarget Target, ChatMessage Message, string? ReplacesMessageRef, int Attempt);

public abstract record SendResult
{
    /// <summary>Delivered; <paramref name="MessageRef"/> is what the platform needs to update it later.</summary>
    public sealed record Sent(string? MessageRef) : SendResult;

    /// <summary>Worth trying again later, not before <paramref name="RetryAfter"/> when the platform said so.</summary>
    public sealed record Transient(string Error, TimeSpan? RetryAfter = null) : SendResult
    {
        /// <summary>
        /// The platform said too many (a 429): besides this message, the budgets it spends are paused for
        /// <see cref="RetryAfter"/> on every instance.
        /// </summary>
        public bool Throttled { get; init; }
    }

    /// <summary>Will never succeed as it is (unknown channel, revoked token): dead-lettered with the error.</summary>
    public sealed record Permanent(string Error) : SendResult;

    /// <summary>
    /// Not sent and the platform not asked: a local limit (a rate budget, an earlier message still unsent, a
    /// shutdown) says come back after <paramref name="Wait"/>. It uses up no attempt; only a platform's answer does.
    /// </summary>
    public sealed record Deferred(string Reason, TimeSpan Wait) : SendResult;
}
