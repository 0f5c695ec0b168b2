using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Escalations;

/// <summary>
/// Escalations walked through a fortnight on a manual clock, the sweeper running every half hour as the worker does,
/// on a real database. Europe/Sofia is UTC+2 in winter (UTC+3 until 25 October 2026); America/New_York is UTC−5
/// (UTC−4 until 1 November 2026). The departments work 09:00–17:00, Monday to Friday.
/// </summary>
public abstract class EscalationSweepTests(DatabaseKind kind) : IAsyncLifetime
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    // Monday 30 November 2026, 10:00 in Sofia.
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private SweepWorld world = null!;
    private long ana;
    private long ivo;

    public async Task InitializeAsync()
    {
        world = await SweepWorld.CreateAsync(kind, Monday);
        ana = await world.PersonAsync("Ana");
        ivo = await world.PersonAsync("Ivo");
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    private static DateTimeOffset Sofia(int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeZoneInfo.FindSystemTimeZoneById("Europe/Sofia").GetUtcOffset(new DateTime(2026, month, day, hour, minute, 0))).ToUniversalTime();

    private static string Local(SentNudgeRow nudge, string zone = "Europe/Sofia") => nudge.LocalIn(zone).ToString("ddd dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [DatabaseFact]
    public async Task A_fortnight_goes_heads_up_due_three_reminders_backing_off_one_note_to_the_lead_after_the_last_wait_once_more_then_silence()
    {
        var lena = await world.PersonAsync("Lena");
        var billing = await world.DepartmentAsync("billing", lead: lena, channel: "CBILL");
        await world.NudgePolicyAsync(billing, headsUp: "2h");
        var id = await world.EscalationAsync(ana, billing, ivo, Sofia(11, 30, 14));

        await world.WalkAsync(HalfHour, Monday.AddDays(14));

        var nudges = await world.NudgesAsync();
        Assert.Equal(
            ["heads-up Mon 30 12:00 person", "due Mon 30 14:00 person", "reminder-1 Tue 01 10:00 person", "reminder-2 Wed 02 10:00 person",
             "reminder-3 Fri 04 10:00 person", "lead Tue 08 10:00 lead"],
            nudges.Select(n => $"{n.Stage} {Local(n)} {n.RecipientKind}"));
        Assert.Equal([ivo, ivo, ivo, ivo, ivo, lena], nudges.Select(n => n.PersonId!.Value));
        Assert.Null(await world.NextNudgeAtAsync(id));
        var messages = await world.MessagesAsync();
        Assert.Equal(6, messages.Count);
        Assert.Equal(nudges.Select(n => n.MessageId!.Value), messages.Select(m => m.Id));
        Assert.All(messages.Take(5), m => Assert.Equal("UIVO", m.TargetAddress));
        Assert.Equal("ULENA", messages[5].TargetAddress);
        Assert.StartsWith("Why am I getting this? You lead Billing", Assert.IsType<ContextBlock>(messages[5].Message.Blocks[^1]).Text, StringComparison.Ordinal);
        Assert.Equal(5, messages.Take(5).Select(m => Assert.IsType<TextBlock>(m.Message.Blocks[0]).Text).Distinct().Count());
    }

    [DatabaseFact]
    public async Task A_holiday_and_the_weekend_are_skipped()
    {
        var billing = await world.DepartmentAsync("billing", channel: "CBILL", holidays: ["2026-12-02"]);
        await world.EscalationAsync(ana, billing, ivo, Sofia(11, 30, 14));

        await world.WalkAsync(HalfHour, Monday.AddDays(14));

        Assert.Equal(["due Mon 30 14:00", "reminder-1 Tue 01 10:00", "reminder-2 Thu 03 10:00", "reminder-3 Mon 07 10:00"],
            (await world.NudgesAsync()).Select(n => $"{n.Stage} {Local(n)}"));
    }

    [DatabaseFact]
    public async Task Nudges_wait_for_the_readers_working_hours_in_their_own_time_zone()
    {
        var pat = await world.PersonAsync("Pat", zone: "America/New_York");
        var billing = await world.DepartmentAsync("billing", channel: "CBILL");
        await world.NudgePolicyAsync(billing, headsUp: "2h");
        await world.EscalationAsync(ana, billing, pat, Sofia(11, 30, 14));

        await world.WalkAsync(HalfHour, Monday.AddDays(14));

        var nudges = await world.NudgesAsync();
        // Sofia's due time is 07:00 in New York: the first nudge waits for Pat's morning, and the heads-up is not worth sending by then.
        Assert.Equal(["due Mon 30 09:00", "reminder-1 Tue 01 09:00", "reminder-2 Wed 02 09:00", "reminder-3 Fri 04 09:00"],
            nudges.Select(n => $"{n.Stage} {Local(n, "America/New_York")}"));
    }

    [DatabaseFact]
    public async Task A_department_without_an_owner_is_asked_in_its_channel_and_the_asking_agent_never_hears_about_their_own_case()
    {
        var billing = await world.DepartmentAsync("billing", zone: "Europe/Sofia", lead: ana, channel: "CBILL");
        await world.EscalationAsync(ana, billing, null, Sofia(11, 30, 14), "C-1");
        await world.EscalationAsync(ana, billing, ana, Sofia(11, 30, 16), "C-2");

        await world.WalkAsync(HalfHour, Monday.AddDays(14));

        var nudges = await world.NudgesAsync();
        Assert.NotEmpty(nudges);
        Assert.All(nudges, n => Assert.Equal(("channel", "CBILL", (long?)null), (n.RecipientKind, n.Address, n.PersonId)));
        Assert.DoesNotContain(nudges, n => n.Stage == "lead");
        var first = (await world.MessagesAsync())[0];
        Assert.Equal(("Channel", "CBILL"), (first.TargetKind, first.TargetAddress));
        Assert.Matches("^(Hi|Hello) Billing team,", Assert.IsType<TextBlock>(first.Message.Blocks[0]).Text);
    }

    [DatabaseFact]
    public async Task Several_escalations_due_at_once_for_one_person_become_one_message_with_a_section_each()
    {
        var billing = await world.DepartmentAsync("billing", channel: "CBILL");
        var ids = new List<long>();
        foreach (var caseRef in new[] { "C-1", "C-2", "C-3" })
            ids.Add(await world.EscalationAsync(ana, billing, ivo, Sofia(11, 30, 14), caseRef));

        await world.WalkAsync(HalfHour, Sofia(11, 30, 14, 1));

        var message = Assert.Single(await world.MessagesAsync());
        Assert.Equal("3 customers are waiting on Billing", message.Message.Summary);
        Assert.Equal(ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            message.Message.Blocks.OfType<ButtonsBlock>().Select(b => b.Buttons.Select(button => button.Payload).Distinct().Single()));
        Assert.All(await world.NudgesAsync(), n => Assert.Equal(message.Id, n.MessageId));
    }

    [DatabaseFact]
    public async Task A_person_gets_at_most_the_daily_and_weekly_budget_of_nudge_messages_and_the_rest_wait_for_the_next_allowance()
    {
        var billing = await world.DepartmentAsync("billing", channel: "CBILL");
        foreach (var (caseRef, hour) in new[] { ("C-1", 10), ("C-2", 11), ("C-3", 12), ("C-4", 13) })
            await world.EscalationAsync(ana, billing, ivo, Sofia(11, 30, hour), caseRef);
        await world.EscalationAsync(ana, billing, ivo, Sofia(12, 1, 10), "C-5");
        await world.NudgePolicyAsync(billing, reminders: "", leadNote: false, daily: 3, weekly: 4);

        await world.WalkAsync(HalfHour, Monday.AddDays(14));

        Assert.Equal(["Mon 30 10:00", "Mon 30 11:00", "Mon 30 12:00", "Tue 01 09:00", "Mon 07 09:00"],
            (await world.NudgesAsync()).Where(n => n.Stage == "due").Select(n => Local(n)));
    }

    [DatabaseFact]
    public async Task A_snooze_and_an_answer_of_im_on_it_hold_the_next_reminder_back()
    {
        var billing = await world.DepartmentAsync("billing", channel: "CBILL");
        var snoozed = await world.EscalationAsync(ana, billing, ivo, Sofia(11, 30, 14), "C-1");
        var acknowledged = await world.EscalationAsync(ana, billing, ivo, Sofia(11, 30, 14, 30), "C-2");
        var sweeper = world.Sweeper();
        await world.WalkAsync(HalfHour, Sofia(11, 30, 15), sweeper);

        await world.ExecuteAsync("UPDATE escalations SET status = 'snoozed', snoozed_until = @Until WHERE id = @Id", new { Id = snoozed, Until = Sofia(12, 2, 11).UtcDateTime });
        await world.ExecuteAsync("UPDATE escalations SET status = 'acknowledged', acknowledged_at = @At WHERE id = @Id", new { Id = acknowledged, At = Sofia(11, 30, 15).UtcDateTime });
        await world.WalkAsync(HalfHour, Sofia(12, 3, 9), sweeper);

        var reminders = (await world.NudgesAsync()).Where(n => n.Stage == "reminder-1").ToDictionary(n => n.EscalationId, n => Local(n));
        Assert.Equal("Wed 02 11:00", reminders[snoozed]);
        // Due at 14:30, so the first reminder would be Tuesday 10:30; "I'm on it" at 15:00 rests it one working day, to Tuesday 15:00.
        Assert.Equal("Tue 01 15:00", reminders[acknowledged]);
    }

    [DatabaseFact]
    public async Task A_resolved_escalation_is_never_nudged_again()
    {
        var billing = await world.DepartmentAsync("billing", channel: "CBILL");
        var id = await world.EscalationAsync(ana, billing, ivo, Sofia(11, 30, 14));
        await world.WalkAsync(HalfHour, Sofia(11, 30, 15));

        await world.ExecuteAsync("UPDATE escalations SET status = 'resolved' WHERE id = @Id", new { Id = id });
        await world.WalkAsync(HalfHour, Monday.AddDays(14));

        Assert.Equal(["due"], (await world.NudgesAsync()).Select(n => n.Stage));
        Assert.Null(await world.NextNudgeAtAsync(id));
    }

    [DatabaseFact]
    public async Task Two_sweepers_on_one_database_send_each_nudge_once()
    {
        var lena = await world.PersonAsync("Lena");
        var billing = await world.DepartmentAsync("billing", lead: lena, channel: "CBILL");
        for (var i = 0; i < 5; i++)
            await world.EscalationAsync(ana, billing, i % 2 == 0 ? ivo : null, Sofia(11, 30, 14 + i % 3), $"C-{i}");

        await world.NudgePolicyAsync(billing, headsUp: "2h", daily: 100, weekly: 1000);

        await world.WalkAsync(HalfHour, Monday.AddDays(14), world.Sweeper(), world.Sweeper(world.Database.AnotherInstance()));

        var nudges = await world.NudgesAsync();
        Assert.Equal(nudges.Count, nudges.Select(n => (n.EscalationId, n.Round, n.Stage)).Distinct().Count());
        Assert.Equal(5 * 6, nudges.Count);
        Assert.Equal(nudges.Select(n => n.MessageId).Distinct().Count(), (await world.MessagesAsync()).Count);
    }

    [DatabaseFact]
    public async Task Across_the_autumn_clock_changes_nudges_keep_to_local_working_hours_in_Sofia_and_New_York()
    {
        world.Clock.Set(new DateTimeOffset(2026, 10, 19, 6, 0, 0, TimeSpan.Zero));
        var pat = await world.PersonAsync("Pat", zone: "America/New_York");
        var lena = await world.PersonAsync("Lena");
        var sofia = await world.DepartmentAsync("billing", zone: "Europe/Sofia", lead: lena, channel: "CBILL");
        var newYork = await world.DepartmentAsync("shipping", zone: "America/New_York", channel: "CSHIP");
        await world.NudgePolicyAsync(newYork, leadNote: false);
        // Due Friday 23 October 14:00 in Sofia (UTC+3), two days before its clocks go back.
        var beforeSofia = await world.EscalationAsync(ana, sofia, ivo, new DateTimeOffset(2026, 10, 23, 11, 0, 0, TimeSpan.Zero), "C-S");
        // Due Friday 30 October 14:00 in New York (UTC−4), two days before its clocks go back.
        var beforeNewYork = await world.EscalationAsync(ana, newYork, pat, new DateTimeOffset(2026, 10, 30, 18, 0, 0, TimeSpan.Zero), "C-N");

        await world.WalkAsync(HalfHour, new DateTimeOffset(2026, 11, 14, 0, 0, 0, TimeSpan.Zero));

        var nudges = await world.NudgesAsync();
        Assert.Equal(["due Fri 23 14:00", "reminder-1 Mon 26 10:00", "reminder-2 Tue 27 10:00", "reminder-3 Thu 29 10:00", "lead Mon 02 10:00"],
            nudges.Where(n => n.EscalationId == beforeSofia).Select(n => $"{n.Stage} {Local(n)}"));
        Assert.Equal(["due Fri 30 14:00", "reminder-1 Mon 02 10:00", "reminder-2 Tue 03 10:00", "reminder-3 Thu 05 10:00"],
            nudges.Where(n => n.EscalationId == beforeNewYork).Select(n => $"{n.Stage} {Local(n, "America/New_York")}"));
    }

    [DatabaseFact]
    public async Task Across_the_spring_clock_changes_nudges_keep_to_local_working_hours()
    {
        // Sunday 29 March 2026 in Sofia, Sunday 8 March 2026 in New York: clocks go forward.
        world.Clock.Set(new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero));
        var pat = await world.PersonAsync("Pat", zone: "America/New_York");
        var sofia = await world.DepartmentAsync("billing", zone: "Europe/Sofia", channel: "CBILL");
        var newYork = await world.DepartmentAsync("shipping", zone: "America/New_York", channel: "CSHIP");
        var inSofia = await world.EscalationAsync(ana, sofia, ivo, new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), "C-S");
        var inNewYork = await world.EscalationAsync(ana, newYork, pat, new DateTimeOffset(2026, 3, 6, 19, 0, 0, TimeSpan.Zero), "C-N");

        await world.WalkAsync(HalfHour, new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero));

        var nudges = await world.NudgesAsync();
        Assert.Equal(["due Fri 27 14:00", "reminder-1 Mon 30 10:00", "reminder-2 Tue 31 10:00", "reminder-3 Thu 02 10:00"],
            nudges.Where(n => n.EscalationId == inSofia).Select(n => $"{n.Stage} {Local(n)}"));
        Assert.Equal(["due Fri 06 14:00", "reminder-1 Mon 09 10:00", "reminder-2 Tue 10 10:00", "reminder-3 Thu 12 10:00"],
            nudges.Where(n => n.EscalationId == inNewYork).Select(n => $"{n.Stage} {Local(n, "America/New_York")}"));
    }
}

public sealed class EscalationSweepTestsOnSqlite() : EscalationSweepTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class EscalationSweepTestsOnSqlServer() : EscalationSweepTests(DatabaseKind.SqlServer);
