using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Intake;

public sealed class FeedbackIntakeTests : IAsyncLifetime
{
    private const string Secret = "survey-tool-shared-secret-0123456789";

    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA }
          - { email: lead@example.com, name: Lena Lead, slack: ULEAD }
          - { email: mihai@example.com, name: Mihai Popescu, slack: UMIHAI }
        teams:
          - { key: care, name: Customer Care, lead: lead@example.com, members: [ana@example.com, lead@example.com], channels: { slack: C0CARE } }
        departments:
          - { key: billing, name: Billing, members: [mihai@example.com] }
        """;

    private readonly RecordingChatSender slack = new("slack");
    private TestDatabase database = null!;
    private TestServer server = null!;

    public async Task InitializeAsync()
    {
        database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, Organisation);
    }

    private async Task StartAsync(params string[] configuration) =>
        server = await TestServer.StartAsync(database,
            [$"--Intake:Sources:survey:Secret={Secret}", "--Outbox:PollInterval=00:00:00.050", .. configuration],
            builder => builder.Services.AddSingleton<IChatSender>(slack));

    public async Task DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
        await database.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string json, string source = "survey", string secret = Secret, DateTimeOffset? at = null) =>
        SignedFeedback.PostAsync(server.Client, json, source, secret, at);

    private static async Task<Dictionary<string, JsonElement>> ItemsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("items").EnumerateArray()
            .GroupBy(i => i.GetProperty("externalId").GetString() ?? $"#{i.GetProperty("index").GetInt32()}")
            .ToDictionary(g => g.Key, g => g.Last());
    }

    private static string Result(Dictionary<string, JsonElement> items, string id) => items[id].GetProperty("result").GetString()!;

    private async Task<List<OutboundMessage>> DeliveredAsync(int atLeast)
    {
        for (var i = 0; i < 200 && slack.Delivered.Count < atLeast; i++)
            await Task.Delay(25);
        return slack.Delivered.ToList();
    }

    private static string Text(ChatMessage message) => MessageText.Of(message);

    [Fact]
    public async Task A_signed_mixed_batch_relays_the_praise_once_redacted_and_says_why_for_every_item()
    {
        await StartAsync();
        const string Praise = """
            { "externalId": "r1", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "ANA@example.com",
              "customer": { "name": "Maria Ivanova" },
              "text": "Ana was wonderful! Write me at maria.ivanova@mail.example or +359 88 123 4567. Card 4111 1111 1111 1111, IBAN BG80 BNBG 9661 1020 3456 78." }
            """;
        const string Others = """
              { "externalId": "r2", "rating": { "scale": "nps10", "value": 2 }, "agentEmail": "ana@example.com", "text": "Terrible wait." },
              { "externalId": "r3", "rating": { "scale": "stars5", "value": 9 } },
              { "externalId": "r4" },
              { "rating": { "scale": "csat5", "value": 5 } },
              { "externalId": "r5", "text": "Thank you so much, the team was great", "team": "care" }
            """;
        var Batch = $"[{Praise},{Others},{Praise}]";

        var items = await ItemsAsync(await PostAsync(Batch));
        var delivered = await DeliveredAsync(3);

        Assert.Equal("duplicate", Result(items, "r1"));
        Assert.Equal("not-positive", Result(items, "r2"));
        Assert.Equal("rejected", Result(items, "r3"));
        Assert.Equal("rating", items["r3"].GetProperty("field").GetString());
        Assert.Equal("rejected", Result(items, "r4"));
        Assert.Equal("externalId", items["#4"].GetProperty("field").GetString());
        Assert.Equal("relayed", Result(items, "r5"));
        Assert.Equal(3, delivered.Count);
        Assert.Equal(1, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM feedback_items WHERE external_id = 'r1'"), CancellationToken.None));
        var dm = Assert.Single(delivered, m => m.Target == new ChatTarget("slack", ChatTargetKind.Person, "UANA"));
        Assert.Contains("Ana was wonderful", Text(dm.Message));
        Assert.Contains("Maria", Text(dm.Message));
        Assert.DoesNotContain("Ivanova", Text(dm.Message));
        foreach (var secret in new[] { "maria.ivanova@mail.example", "123 4567", "4111 1111", "BG80" })
            Assert.All(delivered, m => Assert.DoesNotContain(secret, Text(m.Message)));
        Assert.Equal(2, delivered.Count(m => m.Target.Address == "C0CARE"));
        Assert.DoesNotContain(delivered, m => Text(m.Message).Contains("Terrible", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_400_character_customer_name_and_a_receivedAt_in_1700_are_each_rejected_with_field_and_reason_and_the_rest_of_the_batch_is_accepted()
    {
        await StartAsync();
        var batch = $$"""
            [
              { "externalId": "long-name", "rating": { "scale": "csat5", "value": 5 }, "customer": { "name": "{{new string('M', 400)}}" }, "text": "Thank you" },
              { "externalId": "in-1700", "receivedAt": "1700-01-01", "rating": { "scale": "csat5", "value": 5 }, "text": "Thank you" },
              { "externalId": "fine", "rating": { "scale": "csat5", "value": 2 }, "text": "Slow." },
              { "externalId": "in-1900", "receivedAt": "1900-01-01T00:00:00Z", "rating": { "scale": "csat5", "value": 1 } }
            ]
            """;

        var items = await ItemsAsync(await PostAsync(batch));

        Assert.Equal(("rejected", "customerName"), (Result(items, "long-name"), items["long-name"].GetProperty("field").GetString()));
        Assert.Equal("must be at most 200 characters, not 400", items["long-name"].GetProperty("reason").GetString());
        Assert.Equal(("rejected", "receivedAt"), (Result(items, "in-1700"), items["in-1700"].GetProperty("field").GetString()));
        Assert.StartsWith("'1700-01-01' is before 1900-01-01", items["in-1700"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("not-positive", Result(items, "fine"));
        Assert.Equal("not-positive", Result(items, "in-1900"));
        var stored = await database.Db.WithConnectionAsync(async c => (await c.QueryAsync<string>("SELECT external_id FROM feedback_items ORDER BY external_id")).ToList(), CancellationToken.None);
        Assert.Equal(["fine", "in-1900"], stored);
    }

    [Fact]
    public async Task A_resent_item_is_a_duplicate_and_a_rating_turned_negative_withdraws_its_posts_in_place()
    {
        await StartAsync();
        const string Praise = """{ "externalId": "x1", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "ana@example.com", "text": "Lovely help" }""";
        const string Changed = """{ "externalId": "x1", "rating": { "scale": "csat5", "value": 1 }, "agentEmail": "ana@example.com", "text": "Actually it broke again" }""";

        Assert.Equal("relayed", Result(await ItemsAsync(await PostAsync(Praise)), "x1"));
        await DeliveredAsync(2);
        Assert.Equal("duplicate", Result(await ItemsAsync(await PostAsync(Praise)), "x1"));
        Assert.Equal("withdrawn", Result(await ItemsAsync(await PostAsync(Changed)), "x1"));
        var delivered = await DeliveredAsync(4);

        Assert.Equal(4, delivered.Count);
        var updates = delivered.Where(m => m.ReplacesMessageRef is not null).ToList();
        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.Contains("withdrawn", Text(u.Message)));
        Assert.DoesNotContain(delivered, m => Text(m.Message).Contains("broke again", StringComparison.Ordinal));
        var status = await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM kudos"), CancellationToken.None);
        Assert.Equal("withdrawn", status);
    }

    [Fact]
    public async Task Borderline_feedback_waits_for_the_team_lead_approve_relays_and_decline_does_not()
    {
        await StartAsync("--Kudos:Review:Enabled=true");
        const string Batch = """
            [ { "externalId": "b1", "rating": { "scale": "csat5", "value": 3 }, "agentEmail": "ana@example.com", "text": "It was ok I guess" },
              { "externalId": "b2", "rating": { "scale": "csat5", "value": 3 }, "agentEmail": "ana@example.com", "text": "Fine" } ]
            """;

        var items = await ItemsAsync(await PostAsync(Batch));
        var reviews = await DeliveredAsync(2);
        var handler = server.Services.GetRequiredService<IChatRequestHandler>();
        var lead = new ChatUser("slack", "T1", "ULEAD");
        var approveButton = ButtonFor(reviews, "It was ok", "review.approve");
        var declineButton = ButtonFor(reviews, "Fine", "review.decline");
        var notLead = await handler.HandleAsync(new ChatRequest.ButtonPressed(new ChatUser("slack", "T1", "UANA"), approveButton.ActionId, approveButton.Payload), CancellationToken.None);
        var approved = await handler.HandleAsync(new ChatRequest.ButtonPressed(lead, approveButton.ActionId, approveButton.Payload), CancellationToken.None);
        var declined = await handler.HandleAsync(new ChatRequest.ButtonPressed(lead, declineButton.ActionId, declineButton.Payload), CancellationToken.None);
        var again = await handler.HandleAsync(new ChatRequest.ButtonPressed(lead, approveButton.ActionId, approveButton.Payload), CancellationToken.None);
        var delivered = await DeliveredAsync(4);

        Assert.Equal("queued-for-review", Result(items, "b1"));
        Assert.Equal("queued-for-review", Result(items, "b2"));
        Assert.All(reviews.Take(2), r => Assert.Equal("ULEAD", r.Target.Address));
        Assert.Contains("Only the team lead", Text(notLead.Reply!));
        Assert.Contains("approved", Text(approved.Replacement!));
        Assert.Contains("declined", Text(declined.Replacement!));
        Assert.Contains("already reviewed", Text(again.Reply!));
        var relayed = delivered.Where(m => m.Target.Address is "UANA" or "C0CARE").ToList();
        Assert.Equal(2, relayed.Count);
        Assert.All(relayed, m => Assert.Contains("It was ok", Text(m.Message)));
    }

    private static ChatButton ButtonFor(IEnumerable<OutboundMessage> messages, string quote, string actionId) =>
        messages.Where(m => Text(m.Message).Contains(quote, StringComparison.Ordinal))
            .SelectMany(m => m.Message.Blocks.OfType<ButtonsBlock>())
            .SelectMany(b => b.Buttons)
            .Single(b => b.ActionId == actionId);

    [Fact]
    public async Task The_customer_thanks_travel_to_the_colleague_in_another_department_who_resolved_the_case()
    {
        await StartAsync();
        await database.Db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync("""
            INSERT INTO escalations (case_ref, summary, requester_person_id, department_id, status, due_at, resolved_at, resolved_by_person_id, created_at, updated_at)
            SELECT 'CASE-42', 'Refund stuck', a.id, d.id, 'resolved', '2026-11-20 10:00:00', '2026-11-20 12:00:00', m.id, '2026-11-19 10:00:00', '2026-11-20 12:00:00'
            FROM people a, people m, departments d WHERE a.email = 'ana@example.com' AND m.email = 'mihai@example.com' AND d.department_key = 'billing'
            """, transaction: transaction), CancellationToken.None);

        var items = await ItemsAsync(await PostAsync("""{ "externalId": "t1", "rating": { "scale": "stars5", "value": 5 }, "agentEmail": "ana@example.com", "caseRef": "CASE-42", "text": "The refund finally arrived, thank you!" }"""));
        var delivered = await DeliveredAsync(3);

        Assert.Equal("relayed", Result(items, "t1"));
        var thanks = Assert.Single(delivered, m => m.Target.Address == "UMIHAI");
        Assert.Contains("CASE-42", Text(thanks.Message));
        Assert.Contains("refund finally arrived", Text(thanks.Message));
    }

    [Fact]
    public async Task Forged_stale_unknown_source_and_oversized_requests_are_refused_and_nothing_is_stored()
    {
        await StartAsync();
        const string Item = """{ "externalId": "f1", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "ana@example.com" }""";

        var forged = await PostAsync(Item, secret: "not-the-secret-at-all-0123456789");
        var stale = await PostAsync(Item, at: DateTimeOffset.UtcNow.AddMinutes(-6));
        var unknown = await PostAsync(Item, source: "elsewhere");
        var unsigned = await server.Client.PostAsync(new Uri("/api/feedback", UriKind.Relative), new StringContent(Item, Encoding.UTF8, "application/json"));
        var huge = await PostAsync("[" + string.Join(",", Enumerable.Repeat(Item, 12_000)) + "]");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(0, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM feedback_items"), CancellationToken.None));
    }
}
