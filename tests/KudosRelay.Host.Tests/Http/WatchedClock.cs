using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace KudosRelay.Host.Tests.Http;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells the test each timer it starts, with its due time, once the
/// timer is armed: the test advances the clock only when something is waiting on it, and knows how long it waits.
/// </summary>
internal sealed class WatchedClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider fake = new(start);
    private readonly Channel<TimeSpan> started = Channel.CreateUnbounded<TimeSpan>();

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = fake.CreateTimer(callback, state, dueTime, period);
        started.Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan by) => fake.Advance(by);

    /// <summary>The due time of the next timer started, skipping timers due in exactly <paramref name="except"/> and timers started disarmed.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan except, CancellationToken cancellationToken)
    {
        while (true)
        {
            var due = await started.Reader.ReadAsync(cancellationToken);
            if (due != except && due != Timeout.InfiniteTimeSpan)
                return due;
        }
    }
}
