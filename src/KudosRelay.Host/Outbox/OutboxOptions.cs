using KudosRelay.Core.Outbox;

namespace KudosRelay.Host.Outbox;

/// <summary>The <c>Outbox:*</c> configuration section.</summary>
internal sealed class OutboxOptions : ISelfCheckingOptions
{
    public const string Section = "Outbox";

    /// <summary>How often the dispatcher looks for due messages when the queue is idle.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Sends in flight. Each waits mostly on the platform's answer (on a busy host, for the CPU too), so 8 held delivery
    /// at about 1,400/s under a one-core load that 32 keeps up with; rate budgets decide the pace, not this.
    /// </summary>
    public int Concurrency { get; set; } = 32;

    public int MaxAttempts { get; set; } = 10;

    /// <summary>Renewed while a batch is out, so short: a dead instance's messages are taken over within about this long.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    public bool DispatcherEnabled { get; set; } = true;

    public IEnumerable<string> Problems()
    {
        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromMinutes(10))
            yield return $"Outbox:PollInterval must be between 00:00:00.010 and 00:10:00, not {PollInterval}.";
        if (BatchSize is < 1 or > 1000)
            yield return $"Outbox:BatchSize must be between 1 and 1000, not {BatchSize}.";
        if (Concurrency is < 1 or > 64)
            yield return $"Outbox:Concurrency must be between 1 and 64, not {Concurrency}.";
        if (MaxAttempts is < 1 or > 100)
            yield return $"Outbox:MaxAttempts must be between 1 and 100, not {MaxAttempts}.";
        if (LeaseDuration < TimeSpan.FromSeconds(5))
            yield return $"Outbox:LeaseDuration must be at least 00:00:05, not {LeaseDuration}.";
    }

    public OutboxDispatchOptions ToDispatchOptions() => new()
    {
        BatchSize = BatchSize,
        Concurrency = Concurrency,
        MaxAttempts = MaxAttempts,
        LeaseDuration = LeaseDuration,
    };
}
