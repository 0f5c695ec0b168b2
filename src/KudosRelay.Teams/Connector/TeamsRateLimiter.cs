using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace KudosRelay.Teams.Connector;

/// <summary>
/// Keeps Connector calls inside Teams' published budgets before Teams has to answer 429 ("Rate limiting for bots"):
/// per bot and conversation about 7 operations a second, 8 in 2 s, 60 in 30 s and 1,800 an hour, and per app and
/// tenant 50 a second (all in <see cref="TeamsPacingOptions"/>, since Microsoft may change them). Each budget is a
/// sliding window, so no window of its length ever holds more than its count (a token bucket would let a burst and
/// the steady rate after it add up to twice that). A 429 pauses its conversation for the <c>Retry-After</c>.
/// A call that would have to wait longer than <see cref="MaxWait"/> takes no slot and is handed back to the outbox.
/// </summary>
internal sealed class TeamsRateLimiter(IOptions<TeamsOptions> options, TimeProvider clock)
{
    /// <summary>Longer waits belong to the outbox's scheduler, not to a held lease.</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Budget> conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Budget> tenants = new(StringComparer.Ordinal);
    private DateTimeOffset nextSweep = DateTimeOffset.MinValue;

    /// <summary>
    /// Takes a slot in the conversation's and the tenant's budgets (either may be null: a new 1:1 has no conversation
    /// yet) and waits for it; returns the wait instead, taking nothing, when it is longer than <see cref="MaxWait"/>.
    /// </summary>
    public async ValueTask<TimeSpan?> WaitAsync(string? conversationId, string? tenantId, CancellationToken cancellationToken)
    {
        var wait = Reserve(conversationId, tenantId, clock.GetUtcNow());
        if (wait > MaxWait)
            return wait;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, clock, cancellationToken);
        return null;
    }

    /// <summary>Teams answered 429 for this conversation: nothing more goes there until <paramref name="retryAfter"/> has passed.</summary>
    public void Pause(string conversationId, TimeSpan retryAfter)
    {
        var budget = conversations.GetOrAdd(conversationId, _ => new Budget(PerConversation()));
        lock (budget)
            budget.PauseUntil(clock.GetUtcNow() + retryAfter);
    }

    internal TimeSpan Reserve(string? conversationId, string? tenantId, DateTimeOffset now)
    {
        SweepIdle(now);
        var conversation = conversationId is null ? null : conversations.GetOrAdd(conversationId, _ => new Budget(PerConversation()));
        var tenant = tenantId is null ? null : tenants.GetOrAdd(tenantId, _ => new Budget(PerTenant()));
        // Always in the same order (conversation, then tenant), so two callers never hold them crosswise.
        lock (conversation ?? new object())
        lock (tenant ?? new object())
        {
            var wait = Max(conversation?.Delay(now) ?? TimeSpan.Zero, tenant?.Delay(now) ?? TimeSpan.Zero);
            if (wait <= MaxWait)
            {
                conversation?.Take(now + wait);
                tenant?.Take(now + wait);
            }
            return wait;
        }
    }

    private Window[] PerConversation()
    {
        var pacing = options.Value.Pacing;
        return
        [
            new(pacing.PerConversationPerSecond, TimeSpan.FromSeconds(1)),
            new(pacing.PerConversationPerTwoSeconds, TimeSpan.FromSeconds(2)),
            new(pacing.PerConversationPerThirtySeconds, TimeSpan.FromSeconds(30)),
            new(pacing.PerConversationPerHour, TimeSpan.FromHours(1)),
        ];
    }

    private Window[] PerTenant() => [new(options.Value.Pacing.PerTenantPerSecond, TimeSpan.FromSeconds(1))];

    /// <summary>A digest to thousands of 1:1s leaves thousands of budgets; those idle for over an hour hold nothing and go.</summary>
    private void SweepIdle(DateTimeOffset now)
    {
        if (now < nextSweep)
            return;
        nextSweep = now + TimeSpan.FromMinutes(5);
        foreach (var budgets in new[] { conversations, tenants })
            foreach (var (key, budget) in budgets)
                lock (budget)
                    if (budget.IdleSince(now - TimeSpan.FromHours(1)))
                        budgets.TryRemove(key, out _);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private readonly record struct Window(int Count, TimeSpan Length);

    /// <summary>
    /// The send times of one conversation or tenant, checked against each of its windows. Slots are handed out in
    /// order (never before one already reserved), so the times stay sorted and the check is one look per window.
    /// </summary>
    private sealed class Budget(Window[] windows)
    {
        // Kept as long as the longest window, and no more entries than the largest count.
        private readonly Queue<DateTimeOffset> sends = new();
        private readonly TimeSpan longest = windows.Max(window => window.Length);
        private readonly int largest = windows.Max(window => window.Count);
        private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;
        private DateTimeOffset last = DateTimeOffset.MinValue;

        public TimeSpan Delay(DateTimeOffset now)
        {
            while (sends.Count > 0 && sends.Peek() <= now - longest)
                sends.Dequeue();
            var at = Latest(now, Latest(pausedUntil, last));
            var times = sends.ToArray();
            foreach (var window in windows)
            {
                // The send that must leave the window before another may enter it: the Count-th most recent.
                if (times.Length >= window.Count && times[^window.Count] + window.Length > at)
                    at = times[^window.Count] + window.Length;
            }
            return at - now;
        }

        public void Take(DateTimeOffset at)
        {
            sends.Enqueue(at);
            last = at;
            while (sends.Count > largest)
                sends.Dequeue();
        }

        public void PauseUntil(DateTimeOffset until) => pausedUntil = Latest(pausedUntil, until);

        public bool IdleSince(DateTimeOffset since) => pausedUntil < since && last < since;

        private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}

/// <summary><c>Teams:Pacing:*</c>: Teams' documented budgets, as operations per window.</summary>
public sealed class TeamsPacingOptions
{
    public int PerConversationPerSecond { get; set; } = 7;
    public int PerConversationPerTwoSeconds { get; set; } = 8;
    public int PerConversationPerThirtySeconds { get; set; } = 60;
    public int PerConversationPerHour { get; set; } = 1800;
    public int PerTenantPerSecond { get; set; } = 50;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(PerConversationPerSecond), PerConversationPerSecond), (nameof(PerConversationPerTwoSeconds), PerConversationPerTwoSeconds),
            (nameof(PerConversationPerThirtySeconds), PerConversationPerThirtySeconds), (nameof(PerConversationPerHour), PerConversationPerHour),
            (nameof(PerTenantPerSecond), PerTenantPerSecond),
        })
        {
            if (value is < 1 or > 100_000)
                yield return $"Teams:Pacing:{name} must be between 1 and 100000, not {value}.";
        }
    }
}
