using Dapper;
using KudosRelay.Core.Digests;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace KudosRelay.Core.Tests.Digests;

/// <summary>
/// Digests of seeded weeks, checked against numbers worked out by hand. The week is 2026-W47 (Monday 16 to Sunday
/// 22 November) in Sofia; Billing works 09:00–17:00 in Bucharest, Tech 09:00–17:00 UTC, both on weekdays.
/// </summary>
public sealed class DigestContentTests : IAsyncLifetime
{
    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova }
          - { email: ivan@example.com, name: Ivan Dimitrov }
          - { email: mihai@example.com, name: Mihai Ionescu }
          - { email: elena@example.com, name: Elena Pop }
          - { email: tom@example.com, name: Tom Baker }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com, ivan@example.com], channels: { slack: C0CARE } }
          - { key: field, name: Field, members: [tom@example.com] }
        departments:
          - { key: billing, name: Billing, members: [mihai@example.com, elena@example.com], sla: 2h,
              workingHours: "09:00-17:00", timeZone: Europe/Bucharest }
          - { key: tech, name: Tech, members: [tom@example.com], sla: 2h, workingHours: "09:00-17:00", timeZone: UTC }
        digests:
          - { name: care-weekly, channel: { slack: C0CARE }, scope: { team: care }, timeZone: Europe/Sofia }
          - { name: care-managers, channel: { slack: C0LEADS }, scope: { team: care }, variant: manager, timeZone: Europe/Sofia, locale: bg }
          - { name: care-weekly-bg, channel: { slack: C0CAREBG }, scope: { team: care }, timeZone: Europe/Sofia, locale: bg }
        """;

    private const string LongGenericPraise =
        "Thank you so much, everything was wonderful and the support team was very kind and patient with me, I really appreciate all "
        + "the help and the friendly attitude, it was really great service and I am very happy, thank you again for everything you did, "
        + "you are the best team ever and I will recommend you to all my friends";

    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;
    private DigestScheduler scheduler = null!;
    private Dictionary<string, long> people = null!;
    private long care;
    private long billing;
    private long tech;
    private int feedbackNumber;

    public async Task InitializeAsync()
    {
        clock.Set(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, Organisation, clock);
        clock.Set(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var db = database.Db;
        scheduler = new DigestScheduler(db, new DigestStore(db), new DigestRunStore(db, clock), new OutboxStore(db, clock), new DigestSchedulerOptions(), clock, NullLogger<DigestScheduler>.Instance);
        people = (await db.WithConnectionAsync(c => c.QueryAsync<(long, string)>("SELECT id, email FROM people"), CancellationToken.None))
            .ToDictionary(row => row.Item2.Split('@')[0], row => row.Item1);
        care = await IdAsync("SELECT id FROM teams WHERE team_key = 'care'");
        billing = await IdAsync("SELECT id FROM departments WHERE department_key = 'billing'");
        tech = await IdAsync("SELECT id FROM departments WHERE department_key = 'tech'");
        await SeedAsync();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    private async Task SeedAsync()
    {
        // Week 47: five customer kudos for Customer Care (one only a rating), one withdrawn that does not count.
        await CustomerKudosAsync("ana", Utc(11, 16, 10), "Ana fixed my roaming in ten minutes and called back to check it worked.", "Maria");
        await CustomerKudosAsync("ana", Utc(11, 17, 10), "Great service, thank you!", "Petar");
        await CustomerKudosAsync("ivan", Utc(11, 18, 10), "Ivan explained the invoice line by line, write to me at [email] if you need to.", "Ion");
        await CustomerKudosAsync("ivan", Utc(11, 19, 10), null, null);
        await CustomerKudosAsync("ana", Utc(11, 20, 10), LongGenericPraise, "Dana");
        await CustomerKudosAsync("ana", Utc(11, 20, 11), "Withdrawn words", "Zed", withdrawn: true);
        // Week 46: three; week 45: one.
        await CustomerKudosAsync("ana", Utc(11, 10, 10), "Helpful.", null);
        await CustomerKudosAsync("ana", Utc(11, 11, 10), "Thanks.", null);
        await CustomerKudosAsync("ivan", Utc(11, 12, 10), "Thanks!", null);
        await CustomerKudosAsync("ana", Utc(11, 3, 10), "Thanks.", null);

        // Thanks that travelled to Mihai (Billing resolved the case), and peer kudos across departments.
        await KudosAsync("customer", null, "mihai", Utc(11, 18, 12), crossDepartment: true);
        await KudosAsync("peer", "tom", "ivan", Utc(11, 19, 12), crossDepartment: true);
        await KudosAsync("peer", "ana", "elena", Utc(11, 19, 13), crossDepartment: true);

        // Billing resolved three of Customer Care's escalations this week: 2 h, 3 h and 2 h of Bucharest working time
        // (the last raised Friday 16:00, resolved Monday 10:00 local); two within the agreed time. Median: 2 h.
        await EscalationAsync("ana", billing, created: Utc(11, 16, 7), due: Utc(11, 16, 12), resolved: Utc(11, 16, 9), by: "mihai");
        await EscalationAsync("ivan", billing, created: Utc(11, 17, 7), due: Utc(11, 17, 9), resolved: Utc(11, 17, 10), by: "mihai");
        await EscalationAsync("ana", billing, created: Utc(11, 13, 14), due: Utc(11, 16, 12), resolved: Utc(11, 16, 8), by: "elena");
        // Tech resolved one in 45 minutes; Billing one last week.
        await EscalationAsync("ivan", tech, created: Utc(11, 18, 10), due: Utc(11, 18, 12), resolved: Utc(11, 18, 10, 45), by: "tom");
        await EscalationAsync("ana", billing, created: Utc(11, 10, 7), due: Utc(11, 10, 12), resolved: Utc(11, 10, 9), by: "mihai");
        // Still open at the end of the week: one unresolved, one resolved only after it; another team's does not count.
        await EscalationAsync("ana", tech, created: Utc(11, 18, 9), due: Utc(11, 18, 11), resolved: null, by: null);
        await EscalationAsync("ivan", billing, created: Utc(11, 20, 9), due: Utc(11, 20, 11), resolved: Utc(11, 25, 9), by: "elena");
        await EscalationAsync("tom", billing, created: Utc(11, 18, 9), due: Utc(11, 18, 11), resolved: null, by: null);
        // Ivan resolved one for Field (not Customer Care's escalation): it shows only in his own counts.
        await EscalationAsync("tom", billing, created: Utc(11, 19, 9), due: Utc(11, 19, 11), resolved: Utc(11, 19, 10), by: "ivan");
    }

    private async Task<ChatMessage> PreviewAsync(string subscription, string week = "2026-W47")
    {
        var found = (await new DigestStore(database.Db).FindAsync(subscription, CancellationToken.None))!;
        return (await scheduler.PreviewAsync(found, DigestScheduler.WeekNamed(found, week)!, CancellationToken.None))!;
    }

    [Fact]
    public async Task The_team_digest_counts_the_week_as_worked_out_by_hand_in_english()
    {
        var message = await PreviewAsync("care-weekly");
        var texts = Texts(message);

        Assert.Equal("Customer Care: 5 customers said thank you this week", message.Summary);
        Assert.Equal("This week in appreciation · Customer Care", Assert.IsType<HeadingBlock>(message.Blocks[0]).Text);
        Assert.Equal("Week 2026-W47, 16 November – 22 November", Assert.IsType<ContextBlock>(message.Blocks[1]).Text);
        Assert.Contains("5 customers said thank you this week — 2 more than last week.", texts);
        // Weeks 40–47: 0 0 0 0 0 1 3 5.
        Assert.Contains(message.Blocks.OfType<FactsBlock>().SelectMany(f => f.Facts), f => f is { Label: "Customer kudos, last 8 weeks", Value: "▁▁▁▁▁▂▅█" });
        Assert.Contains("Shout-outs to everyone customers praised by name:\nAna Petrova and Ivan Dimitrov", texts);
        Assert.Contains("Thank you across teams:\nBilling helped 3 customers this week — thank you, Elena and Mihai!\nTech helped a customer this week — thank you, Tom!", texts);
        var departments = message.Blocks.OfType<FactsBlock>().Last(f => f.Facts.Any(fact => fact.Label == "Billing")).Facts;
        Assert.Equal(
            [("Billing", "2 of 3 within the agreed time · typically 2 h of working time"), ("Tech", "1 of 1 within the agreed time · typically 45 min of working time")],
            departments.Select(f => (f.Label, f.Value)));
        Assert.Contains(
            "One customer's thanks travelled on to a colleague who helped behind the scenes: Mihai.\n"
            + "One thank-you came from a colleague in another department, for Ivan.\n"
            + "And one thank-you went out to a colleague in another department.", texts);
        Assert.Contains("2 customers are still waiting for answers from other teams; thank you to everyone working on them.", texts);
        Assert.DoesNotContain(message.Blocks, block => block is FactsBlock facts && facts.Facts.Any(f => f.Label is "Ana Petrova" or "Ivan Dimitrov"));
    }

    [Fact]
    public async Task Quotes_are_the_most_specific_not_the_longest_and_read_redacted()
    {
        var quotes = (await PreviewAsync("care-weekly")).Blocks.OfType<QuoteBlock>().ToList();

        Assert.Equal(3, quotes.Count);
        Assert.Equal("Ana fixed my roaming in ten minutes and called back to check it worked.", quotes[0].Text);
        Assert.Equal("Maria, about Ana Petrova", quotes[0].Attribution);
        Assert.Equal("Ivan explained the invoice line by line, write to me at ‹e-mail hidden› if you need to.", quotes[1].Text);
        Assert.DoesNotContain(quotes, quote => quote.Text.Contains("[email]", StringComparison.Ordinal));
        Assert.DoesNotContain(quotes, quote => quote.Text.StartsWith("Thank you so much, everything", StringComparison.Ordinal) && quote == quotes[0]);
        Assert.DoesNotContain(quotes, quote => quote.Text.Contains("Withdrawn", StringComparison.Ordinal));
        Assert.All(quotes, quote => Assert.True(quote.Text.Length <= DigestBuilder.MaxQuoteLength));
    }

    [Fact]
    public async Task The_digest_reads_in_bulgarian_with_the_same_numbers()
    {
        var message = await PreviewAsync("care-weekly-bg");
        var texts = Texts(message);

        Assert.Equal("Customer Care: 5 клиенти благодариха тази седмица", message.Summary);
        Assert.Contains("5 клиенти благодариха тази седмица — с 2 повече от миналата седмица.", texts);
        Assert.Contains("Благодарности между екипите:\nBilling помогна на 3 клиенти тази седмица — благодарим ви, Elena и Mihai!\nTech помогна на един клиент тази седмица — благодарим ви, Tom!", texts);
        Assert.Contains(message.Blocks.OfType<FactsBlock>().SelectMany(f => f.Facts), f => f is { Label: "Billing", Value: "2 от 3 в уговореното време · обикновено за 2 ч работно време" });
        Assert.Contains("2 клиенти все още чакат отговор от други екипи; благодарим на всички, които работят по тях.", texts);
        Assert.Contains(message.Blocks.OfType<QuoteBlock>(), quote => quote.Text.Contains("‹скрит имейл›", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_manager_variant_adds_per_person_counts_and_trends_in_alphabetical_order_and_never_a_zero_or_a_negative()
    {
        var message = await PreviewAsync("care-managers");

        var perPerson = message.Blocks.OfType<FactsBlock>().Last().Facts;
        // Ana: 1, 2 and 3 kudos in weeks 45–47; Ivan: 1 and 3 (one from a colleague) and one escalation resolved this week.
        Assert.Equal(
            [("Ana Petrova", "6 благодарности ▁▁▁▁▁▃▆█"), ("Ivan Dimitrov", "4 благодарности ▁▁▁▁▁▁▃█ · 1 решена ескалация ▁▁▁▁▁▁▁█")],
            perPerson.Select(f => (f.Label, f.Value)));
        AssertNoPerPersonNegatives(message, ["Ana Petrova", "Ivan Dimitrov", "Ana", "Ivan"]);
    }

    [Fact]
    public async Task Neither_variant_names_anyone_beside_a_zero_an_open_item_or_a_word_that_blames()
    {
        foreach (var subscription in new[] { "care-weekly", "care-managers", "care-weekly-bg" })
            AssertNoPerPersonNegatives(await PreviewAsync(subscription), ["Ana", "Ivan", "Mihai", "Elena", "Tom"]);
    }

    [Fact]
    public async Task A_quiet_week_gets_a_short_warm_message_in_either_language_and_no_table_of_zeros()
    {
        var english = await PreviewAsync("care-weekly", "2026-W40");
        var bulgarian = await PreviewAsync("care-weekly-bg", "2026-W40");

        Assert.Equal("Customer Care: a quiet week, and thank you all the same", english.Summary);
        Assert.Equal("A quiet week · Customer Care", Assert.IsType<HeadingBlock>(english.Blocks[0]).Text);
        Assert.Contains(english.Blocks.OfType<TextBlock>(), block => block.Text.StartsWith("No customer kudos or cross-team thanks to share this week", StringComparison.Ordinal));
        Assert.Equal("Спокойна седмица · Customer Care", Assert.IsType<HeadingBlock>(bulgarian.Blocks[0]).Text);
        foreach (var message in new[] { english, bulgarian })
        {
            Assert.Equal(4, message.Blocks.Count);
            Assert.DoesNotContain(message.Blocks, block => block is FactsBlock or QuoteBlock);
            Assert.DoesNotContain(Texts(message), text => text.Contains('0', StringComparison.Ordinal) && !text.Contains("W40", StringComparison.Ordinal) && !text.Contains(':', StringComparison.Ordinal));
        }
    }

    private static void AssertNoPerPersonNegatives(ChatMessage message, IReadOnlyList<string> names)
    {
        var lines = Texts(message).SelectMany(text => text.Split('\n'))
            .Concat(message.Blocks.OfType<FactsBlock>().SelectMany(f => f.Facts).Select(f => $"{f.Label}: {f.Value}"))
            .ToList();
        string[] blaming = ["late", "overdue", "breach", "worst", "missed", "закъсн", "просроч", "întârzi", "hasn't", "not yet"];
        Assert.DoesNotContain(lines, line => blaming.Any(word => line.Contains(word, StringComparison.OrdinalIgnoreCase)));
        // A line that names someone never carries a zero, a minus or an open item.
        var naming = lines.Where(line => names.Any(name => line.Contains(name, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(naming, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"(^|[^\d])0 |−|-\d|still waiting|чака"));
    }

    private static List<string> Texts(ChatMessage message) =>
        [.. message.Blocks.Select(block => block switch { TextBlock text => text.Text, ContextBlock context => context.Text, HeadingBlock heading => heading.Text, _ => null }).OfType<string>()];

    private async Task CustomerKudosAsync(string agent, DateTime at, string? words, string? customer, bool withdrawn = false)
    {
        var number = ++feedbackNumber;
        var feedbackId = await database.Db.WithConnectionAsync(c => c.QuerySingleAsync<long>("""
            INSERT INTO feedback_items (source, external_id, received_at, agent_person_id, team_id, rating_scale, rating_value, score,
                                        customer_name, redacted_text, status, created_at, updated_at)
            VALUES ('survey', @ExternalId, @At, @Agent, @Team, 'csat5', 5, @Score, @Customer, @Words, 'relayed', @At, @At)
            RETURNING id
            """, new { ExternalId = $"f{number}", At = at, Agent = people[agent], Team = care, Score = 0.9, Customer = customer, Words = words }), CancellationToken.None);
        await KudosAsync("customer", null, agent, at, crossDepartment: false, feedbackId, words ?? "", withdrawn);
    }

    private Task<int> KudosAsync(string kind, string? giver, string recipient, DateTime at, bool crossDepartment, long? feedbackId = null, string text = "", bool withdrawn = false) =>
        database.Db.WithConnectionAsync(c => c.ExecuteAsync("""
            INSERT INTO kudos (kind, feedback_item_id, giver_person_id, recipient_person_id, team_id, text, cross_department, status, created_at)
            VALUES (@Kind, @FeedbackId, @Giver, @Recipient, @Team, @Text, @Cross, @Status, @At)
            """, new
        {
            Kind = kind,
            FeedbackId = feedbackId,
            Giver = giver is null ? (long?)null : people[giver],
            Recipient = people[recipient],
            Team = kind == "customer" ? care : (long?)null,
            Text = text,
            Cross = crossDepartment,
            Status = withdrawn ? "withdrawn" : "relayed",
            At = at,
        }), CancellationToken.None);

    private Task<int> EscalationAsync(string requester, long department, DateTime created, DateTime due, DateTime? resolved, string? by) =>
        database.Db.WithConnectionAsync(c => c.ExecuteAsync("""
            INSERT INTO escalations (case_ref, summary, requester_person_id, department_id, status, due_at, resolved_at, resolved_by_person_id, created_at, updated_at)
            VALUES ('CASE-1', 'A customer waits', @Requester, @Department, @Status, @Due, @Resolved, @By, @Created, @Created)
            """, new
        {
            Requester = people[requester],
            Department = department,
            Status = resolved is null ? "open" : "resolved",
            Due = due,
            Resolved = resolved,
            By = by is null ? (long?)null : people[by],
            Created = created,
        }), CancellationToken.None);

    private Task<long> IdAsync(string sql) => database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);
}
