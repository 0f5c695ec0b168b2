using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Core.Escalations;

/// <summary>What one pass did: escalations looked at, nudges sent and the messages carrying them, looks put off, ladders finished.</summary>
internal sealed record SweepResult(int Due, int Nudged, int Messages, int Deferred, int Silenced);

/// <summary>
/// One pass of the escalation sweeper, in one transaction: the escalations whose next look has come (one indexed read),
/// for each the stage its ladder is at and who is asked (the owner by direct message, else the department's channel; the
/// lead only for the lead's note; never the agent who asked), but only inside the reader's working hours in their own time
/// zone and within their daily and weekly budget; several escalations for one reader become one message. Each nudge is
/// recorded (once per escalation, round and stage, whatever the number of instances), its message enqueued in the outbox,
/// and the escalation's next look set to its following stage; whatever waits gets the moment it may go.
/// </summary>
internal sealed partial class EscalationSweep(
    Db db,
    NudgeSweepStore store,
    DepartmentCalendarStore calendars,
    OutboxStore outbox,
    TimeProvider clock,
    ILogger<EscalationSweep> logger)
{
    /// <summary>Escalations looked at per pass; a pass that finds this many runs again at once (the worker drains).</summary>
    public const int PassSize = 10_000;

    /// <summary>Slack shows at most 50 blocks in a message and a case takes four: a larger batch goes in several messages.</summary>
    public const int CasesPerMessage = 8;

    /// <summary>Passes that lost a nudge to another instance are run again, this many times in all, reading what it sent.</summary>
    private const int MaxAttempts = 3;

    public async Task<SweepResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await db.InTransactionAsync((_, transaction) => PassAsync(transaction, cancellationToken), cancellationToken);
            }
            catch (NudgeSentElsewhereException) when (attempt < MaxAttempts)
            {
                LogSentElsewhere();
            }
        }
    }

    private async Task<SweepResult> PassAsync(System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        var due = await store.ListDueAsync(transaction, nowUtc, PassSize, cancellationToken);
        if (due.Count == 0)
            return new SweepResult(0, 0, 0, 0, 0);

        var sent = (await store.SentThisRoundAsync(transaction, due, cancellationToken)).ToLookup(n => n.EscalationId);
        var context = await NudgeRecipients.LoadAsync(store, calendars, transaction, now, due, cancellationToken);
        var hours = context.Hours;
        var looks = new List<NextLook>(due.Count);
        var waiting = new List<Waiting>();
        var silenced = 0;
        foreach (var escalation in due)
        {
            if (!hours.TryGetValue(escalation.DepartmentId, out var department) || escalation.IsClosed)
            {
                looks.Add(new NextLook(escalation.Id, null));
                silenced++;
                continue;
            }
            var history = escalation.History([.. sent[escalation.Id].Select(n => n.ToSent())]);
            if (NudgeSchedule.For(department).Next(history, now) is not { } step)
            {
                looks.Add(new NextLook(escalation.Id, null));
                silenced++;
            }
            else if (step.At > now)
                looks.Add(new NextLook(escalation.Id, step.At.UtcDateTime));
            else if (context.RecipientOf(escalation, NudgeMessages.KindOf(step.Stage)) is { } recipient)
                waiting.Add(new Waiting(escalation, step.Stage, NudgeMessages.KindOf(step.Stage), recipient, history));
            else if (step.Stage == NudgeStages.Lead)
            {
                // No lead to tell (none set, the lead asked, or no chat identity): the ladder ends quietly.
                looks.Add(new NextLook(escalation.Id, null));
                silenced++;
            }
            else
            {
                // Nobody to ask yet (no owner in chat, no department channel): look again next working day.
                LogNobodyToAsk(escalation.Id);
                looks.Add(new NextLook(escalation.Id, department.Calendar.NextWorkingDayStart(now).UtcDateTime));
            }
        }

        var (messages, deferred) = await PlanMessagesAsync(transaction, context, waiting, looks, cancellationToken);
        if (messages.Count > 0)
        {
            var ids = await outbox.EnqueueManyReturningIdsAsync(transaction, [.. messages.Select(m => m.Message)], cancellationToken);
            var nudges = new List<NudgeRecord>(messages.Sum(m => m.Nudges.Count));
            for (var i = 0; i < messages.Count; i++)
            {
                // The key names the recipient, stages and escalations: it exists only if another pass sent this very message.
                var id = ids[i] ?? throw new NudgeSentElsewhereException();
                nudges.AddRange(messages[i].Nudges.Select(n => n with { OutboxMessageId = id }));
            }
            if (await store.RecordAsync(transaction, nudges, cancellationToken) < nudges.Count)
                throw new NudgeSentElsewhereException();
        }
        await store.SetNextAsync(transaction, looks, nowUtc, cancellationToken);
        var result = new SweepResult(due.Count, messages.Sum(m => m.Nudges.Count), messages.Count, deferred, silenced);
        LogPass(result.Due, result.Nudged, result.Messages, result.Deferred, result.Silenced);
        return result;
    }

    /// <summary>
    /// Groups what is to be sent by reader, in the order it fell due; puts off what falls outside the reader's working hours
    /// or budget; and writes one message per reader (a few, for a long list), each with the nudges it carries.
    /// </summary>
    private async Task<(List<PlannedMessage> Messages, int Deferred)> PlanMessagesAsync(
        System.Data.Common.DbTransaction transaction, NudgeRecipients context, List<Waiting> waiting, List<NextLook> looks, CancellationToken cancellationToken)
    {
        var now = context.Now;
        var groups = waiting.GroupBy(w => w.Recipient.Key).ToList();
        var personIds = groups.Select(g => g.First().Recipient.PersonId).OfType<long>().ToList();
        // Eight days back covers the reader's current local week whatever their zone.
        var sentToPeople = personIds.Count == 0
            ? Enumerable.Empty<SentToPerson>().ToLookup(row => row.PersonId)
            : await store.SentToPeopleSinceAsync(transaction, personIds, now.UtcDateTime.AddDays(-8), cancellationToken);
        var messages = new List<PlannedMessage>();
        var deferred = 0;
        foreach (var group in groups)
        {
            var recipient = group.First().Recipient;
            var calendar = recipient.Calendar;
            var cases = group.ToList();
            if (!calendar.IsWorkingTime(now))
            {
                var opens = calendar.NextWorkingMoment(now).UtcDateTime;
                looks.AddRange(cases.Select(w => new NextLook(w.Escalation.Id, opens)));
                deferred += cases.Count;
                continue;
            }
            var chunks = cases.Chunk(CasesPerMessage).ToList();
            var policy = context.Hours[cases[0].Escalation.DepartmentId].Nudges;
            var allowed = recipient.PersonId is { } personId ? Allowance(sentToPeople[personId], policy, calendar, now) : (Messages: chunks.Count, NextWindow: now);
            foreach (var (chunk, index) in chunks.Select((chunk, index) => (chunk, index)))
            {
                if (index >= allowed.Messages)
                {
                    var until = allowed.NextWindow.UtcDateTime;
                    looks.AddRange(chunk.Select(w => new NextLook(w.Escalation.Id, until)));
                    deferred += chunk.Length;
                    continue;
                }
                messages.Add(Compose(context, recipient, chunk));
                foreach (var w in chunk)
                {
                    var sentNow = w.History with { Sent = [.. w.History.Sent, new SentNudge(w.Stage, now)], SnoozedUntil = null };
                    var following = NudgeSchedule.For(context.Hours[w.Escalation.DepartmentId]).Next(sentNow, now);
                    looks.Add(new NextLook(w.Escalation.Id, following?.At.UtcDateTime));
                }
            }
        }
        return (messages, deferred);
    }

    /// <summary>
    /// How many more messages a person may get today and this week (their local day and ISO week), and when the next
    /// allowance opens: their next working day, or the first working moment of next week when the week is spent.
    /// </summary>
    private static (int Messages, DateTimeOffset NextWindow) Allowance(IEnumerable<SentToPerson> sentBefore, NudgePolicy policy, BusinessCalendar calendar, DateTimeOffset now)
    {
        var zone = calendar.Hours.Zone;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var dayStart = StartOfLocalDay(local.Date, zone);
        var weekStart = StartOfLocalDay(local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)), zone);
        var messages = sentBefore.Where(row => Utc(row.SentAt) >= weekStart).GroupBy(row => row.MessageId).Select(g => Utc(g.Min(row => row.SentAt))).ToList();
        var today = messages.Count(at => at >= dayStart);
        var leftThisWeek = policy.WeeklyBudget - messages.Count;
        var leftToday = policy.DailyBudget - today;
        var nextWeek = StartOfLocalDay(local.Date.AddDays(7 - (((int)local.DayOfWeek + 6) % 7)), zone);
        return (
            Math.Max(0, Math.Min(leftToday, leftThisWeek)),
            leftThisWeek <= leftToday ? calendar.NextWorkingMoment(nextWeek) : calendar.NextWorkingDayStart(now));
    }

    private static DateTimeOffset StartOfLocalDay(DateTime date, TimeZoneInfo zone)
    {
        var midnight = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
        // A zone whose clock skips midnight starts that day at the jump; one that repeats it, at its first showing.
        while (zone.IsInvalidTime(midnight))
            midnight = midnight.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(midnight) ? zone.GetAmbiguousTimeOffsets(midnight).Max() : zone.GetUtcOffset(midnight);
        return new DateTimeOffset(midnight, offset).ToUniversalTime();
    }

    private static PlannedMessage Compose(NudgeRecipients context, NudgeRecipient recipient, IReadOnlyList<Waiting> chunk)
    {
        var department = context.Departments[chunk[0].Escalation.DepartmentId];
        var cases = chunk.Select(w => new NudgeCase(
            w.Escalation.Id, w.Kind, w.Stage, w.Escalation.CaseRef, w.Escalation.CaseUrl, w.Escalation.Summary,
            context.People.GetValueOrDefault(w.Escalation.RequesterId)?.DisplayName ?? "",
            w.Escalation.Note, Utc(w.Escalation.CreatedAt))).ToList();
        var message = NudgeMessages.Nudge(recipient.Reader, department.Name, cases, context.Now);
        var key = $"nudge:{recipient.Key}:{SetKey(chunk)}";
        var nowUtc = context.Now.UtcDateTime;
        return new PlannedMessage(
            new OutboxMessage(key, recipient.Target, message),
            [.. chunk.Select(w => new NudgeRecord(w.Escalation.Id, w.Escalation.Round, w.Stage, recipient.PersonId, recipient.Kind, recipient.Target.Platform, recipient.Target.Address, 0, nowUtc))]);
    }

    /// <summary>One escalation reads as itself ("41.0.due"); a set, as a short hash of its members, which fits any key column.</summary>
    private static string SetKey(IReadOnlyList<Waiting> chunk)
    {
        var members = string.Join(",", chunk.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Escalation.Id}.{w.Escalation.Round}.{w.Stage}")).Order(StringComparer.Ordinal));
        return chunk.Count == 1 ? members : "set." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(members)))[..24];
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed record Waiting(DueEscalation Escalation, string Stage, NudgeKind Kind, NudgeRecipient Recipient, NudgeHistory History);

    private sealed record PlannedMessage(OutboxMessage Message, IReadOnlyList<NudgeRecord> Nudges);

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation sweep: {Due} due, {Nudged} nudge(s) in {Messages} message(s), {Deferred} put off, {Silenced} finished")]
    private partial void LogPass(int due, int nudged, int messages, int deferred, int silenced);

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation sweep: another instance sent a nudge of this pass; reading again")]
    private partial void LogSentElsewhere();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation {EscalationId} has nobody to ask (no owner in chat, no department channel); looking again next working day")]
    private partial void LogNobodyToAsk(long escalationId);
}

/// <summary>Another instance recorded a nudge of this pass first: the pass is undone and read again.</summary>
internal sealed class NudgeSentElsewhereException : Exception
{
    public NudgeSentElsewhereException()
        : base("another instance sent a nudge of this pass")
    {
    }
}
