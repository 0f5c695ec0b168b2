namespace KudosRelay.Core.Outbox;

/// <summary>
/// A platform's rate budget that a send spends (a Slack channel, a Teams conversation), shared by every instance
/// through the outbox's pacing table: the outbox leases a message only when each of its budgets has room now, so
/// no send waits for a limit while it holds a lease. Each budget is a generic cell rate: one send per
/// <paramref name="Interval"/> on average, with up to <paramref name="Burst"/> at once after a quiet spell.
/// </summary>
public sealed record SendBudget(string Key, TimeSpan Interval, int Burst)
{
    /// <summary>How far the budget's next-send time may run ahead of now and still let a send go.</summary>
    public TimeSpan Tolerance => Interval * (Burst - 1);

    /// <summary>
    /// At most <paramref name="count"/> sends in any window of <paramref name="length"/> (a sliding window as
    /// platforms publish them), as a cell rate: half the count may go at once, and the interval is chosen so that
    /// the burst and the sends after it together never put more than <paramref name="count"/> in one window
    /// (a burst b and interval T put at most b + ⌈length / T⌉ − 1 sends into a window).
    /// </summary>
    public static SendBudget Window(string key, int count, TimeSpan length)
    {
        var burst = (count + 1) / 2;
        var interval = TimeSpan.FromTicks((length.Ticks + count - burst) / (count - burst + 1));
        return new SendBudget(key, interval, burst);
    }

    /// <summary>At most <paramref name="calls"/> a minute on average, <paramref name="burst"/> at once.</summary>
    public static SendBudget PerMinute(string key, int calls, int burst) => new(key, TimeSpan.FromMinutes(1) / calls, burst);

    /// <summary>How long a send at <paramref name="now"/> must wait, given the budget's next-send time (null: never used).</summary>
    public TimeSpan Delay(DateTime? nextSendAt, DateTime now) =>
        nextSendAt is { } next && next - now > Tolerance ? next - now - Tolerance : TimeSpan.Zero;

    /// <summary>The budget's next-send time after a send at <paramref name="at"/>.</summary>
    public DateTime Take(DateTime? nextSendAt, DateTime at) => (nextSendAt is { } next && next > at ? next : at) + Interval;

    /// <summary>The next-send time that lets nothing through before <paramref name="until"/> (the platform said wait).</summary>
    public DateTime PauseUntil(DateTime? nextSendAt, DateTime until) =>
        nextSendAt is { } next && next > until + Tolerance ? next : until + Tolerance;
}
