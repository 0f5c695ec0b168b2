using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Outbox;

/// <summary>
/// A message to be delivered. <paramref name="IdempotencyKey"/> names the cause (for example
/// "kudos:42:dm"): enqueuing the same key twice delivers once.
/// </summary>
public sealed record OutboxMessage(
    string IdempotencyKey,
    ChatTarget Target,
    ChatMessage Message,
    long? ReplacesMessageId = null,
    DateTime? NotBefore = null);

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Dead = "dead";

    /// <summary>
    /// Printed by the console sender because no chat platform was configured: nobody received it. Never "sent";
    /// <c>kudosrelay outbox retry --printed</c> queues it again for a platform configured since.
    /// </summary>
    public const string Printed = "printed";

    /// <summary>A revision of a post that a newer revision replaced before it went out; it is never sent.</summary>
    public const string Superseded = "superseded";
}

/// <summary>A row of the outbox as operators see it (<c>kudosrelay outbox list</c>).</summary>
public sealed record OutboxEntry
{
    public long Id { get; init; }
    public string IdempotencyKey { get; init; } = "";
    public string Platform { get; init; } = "";
    public string TargetKind { get; init; } = "";
    public string TargetAddress { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTime NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public string? PlatformMessageRef { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SentAt { get; init; }
}
