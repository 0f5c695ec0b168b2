using System.Data.Common;
using System.Globalization;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Core.Digests;

/// <summary>
/// Posts each subscription's digest once per week. A pass looks at every enabled subscription; one whose latest due
/// week has no run yet gets it claimed, built and enqueued in one transaction, so a crash leaves either all of it or
/// none, and the unique key on (subscription, week) lets exactly one of several instances win. Weeks missed while
/// nothing ran are not caught up one by one: only the latest is sent, once, marked late.
/// </summary>
internal sealed partial class DigestScheduler(
    Db db,
    DigestStore store,
    DigestRunStore runs,
    OutboxStore outbox,
    DigestSchedulerOptions options,
    TimeProvider clock,
    ILogger<DigestScheduler> logger)
{
    private readonly DigestQuery query = new(db.Dialect);

    /// <summary>One pass: sends what is due now. Returns how many digests were enqueued by this instance.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var latest = await store.LatestRunWeeksAsync(cancellationToken);
        var sent = 0;
        foreach (var subscription in await store.ListAsync(cancellationToken))
        {
            if (!subscription.Enabled || subscription.Schedule() is not { } schedule)
                continue;
            var due = DigestScheduling.LatestDue(schedule, now);
            // A subscription hears about weeks that end after it was made, not about the weeks before it existed.
            if (due.DueAt.UtcDateTime < DateTime.SpecifyKind(subscription.CreatedAt, DateTimeKind.Utc)
                || (latest.TryGetValue(subscription.Id, out var week) && string.CompareOrdinal(week, due.Week.Name) >= 0))
                continue;
            var late = now - due.DueAt > options.LateAfter;
            try
            {
                if (await ClaimAndEnqueueAsync(subscription, schedule, due.Week, late, again: false, cancellationToken) is not null)
                {
                    sent++;
                    LogEnqueued(subscription.Id, due.Week.Name, late);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One broken subscription (its team renamed away, say) must not hold up the others.
                LogFailed(subscription.Id, due.Week.Name, exception.GetType().Name);
            }
        }
        return sent;
    }

    /// <summary>
    /// <c>digest send</c>: the week's digest now. Null when the week was sent already and <paramref name="again"/> is
    /// false; with it, a fresh copy goes out and the week's run stays as it was.
    /// </summary>
    public async Task<long?> SendAsync(DigestSubscription subscription, Week week, bool again, CancellationToken cancellationToken)
    {
        var schedule = subscription.Schedule() ?? throw new InvalidOperationException($"digest {subscription.Name} has no valid schedule");
        return await ClaimAndEnqueueAsync(subscription, schedule, week, late: false, again, cancellationToken);
    }

    /// <summary>The digest of <paramref name="week"/> (the current one so far, too) as it would be sent; nothing is stored.</summary>
    public Task<ChatMessage?> PreviewAsync(DigestSubscription subscription, Week week, CancellationToken cancellationToken)
    {
        var schedule = subscription.Schedule() ?? throw new InvalidOperationException($"digest {subscription.Name} has no valid schedule");
        return db.WithConnectionAsync(connection => ComposeAsync(connection, null, subscription, schedule, week, late: false, cancellationToken), cancellationToken);
    }

    /// <summary>The week named <paramref name="name"/> ("2026-W47") in the subscription's time zone; null when it is not a week.</summary>
    public static Week? WeekNamed(DigestSubscription subscription, string name) =>
        DigestScheduling.ParseWeek(name) is { } monday && subscription.Schedule() is { } schedule ? Week.Of(monday, schedule.Zone) : null;

    /// <summary>The week that is running now in the subscription's time zone.</summary>
    public Week CurrentWeek(DigestSubscription subscription)
    {
        var zone = subscription.Schedule()?.Zone ?? TimeZoneInfo.Utc;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        return Week.Of(DigestScheduling.MondayOf(today), zone);
    }

    /// <summary>The latest week whose digest is due by now.</summary>
    public Week LatestDueWeek(DigestSubscription subscription) =>
        subscription.Schedule() is { } schedule ? DigestScheduling.LatestDue(schedule, clock.GetUtcNow()).Week : CurrentWeek(subscription);

    private Task<long?> ClaimAndEnqueueAsync(DigestSubscription subscription, DigestSchedule schedule, Week week, bool late, bool again, CancellationToken cancellationToken) =>
        db.InTransactionAsync<long?>(async (connection, transaction) =>
        {
            var runId = await runs.TryClaimAsync(transaction, subscription.Id, week.Name, cancellationToken);
            if (runId is null && !again)
                return null;
            var message = await ComposeAsync(connection, transaction, subscription, schedule, week, late, cancellationToken);
            if (message is null)
                return null;
            var key = runId is null
                ? string.Create(CultureInfo.InvariantCulture, $"digest:{subscription.Id}:{week.Name}:again:{clock.GetUtcNow().UtcTicks}")
                : string.Create(CultureInfo.InvariantCulture, $"digest:{subscription.Id}:{week.Name}");
            var messageId = await outbox.EnqueueAsync(transaction, new OutboxMessage(
                key, new ChatTarget(subscription.Platform, ChatTargetKind.Channel, subscription.ChannelId), message), cancellationToken);
            if (messageId is null)
                return null;
            if (runId is { } id)
                await runs.CompleteAsync(transaction, id, messageId.Value, late, cancellationToken);
            return messageId;
        }, cancellationToken);

    private async Task<ChatMessage?> ComposeAsync(DbConnection connection, DbTransaction? transaction, DigestSubscription subscription, DigestSchedule schedule, Week week, bool late, CancellationToken cancellationToken)
    {
        var facts = await query.LoadAsync(connection, transaction, subscription, week, schedule.Zone, cancellationToken);
        return facts is null ? null : DigestMessages.Digest(DigestBuilder.Build(facts, late), subscription);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest of subscription {SubscriptionId} for {Week} enqueued (late: {Late})")]
    private partial void LogEnqueued(long subscriptionId, string week, bool late);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest of subscription {SubscriptionId} for {Week} failed ({ErrorType}); the next pass tries again")]
    private partial void LogFailed(long subscriptionId, string week, string errorType);
}

/// <summary>How the scheduler judges a digest it sends.</summary>
internal sealed record DigestSchedulerOptions
{
    /// <summary>A digest sent more than this after its time is marked late (the scheduler was down when it was due).</summary>
    public TimeSpan LateAfter { get; init; } = TimeSpan.FromHours(1);
}
