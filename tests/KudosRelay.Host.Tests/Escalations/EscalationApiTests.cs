using System.Net;
using System.Text.Json;
using Dapper;
using KudosRelay.Core.Messaging;
using KudosRelay.Host.Tests.Intake;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Escalations;

public sealed class EscalationApiTests : IAsyncLifetime
{
    private const string Secret = "helpdesk-shared-secret-0123456789";

    // Billing works 09:00–17:00 in Sofia, Monday to Friday, with an 8-business-hour SLA (the default).
    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA }
          - { email: mihai@example.com, name: Mihai Popescu, slack: UMIHAI, locale: ro }
          - { email: lena@example.com, name: Lena Lead, slack: ULENA }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
        departments:
          - { key: billing, name: Billing, lead: lena@example.com, members: [mihai@example.com], timeZone: Europe/Sofia, channels: { slack: C0BILLING } }
        """;

    // Tuesday 1 December 2026, 15:00 in Sofia (UTC+2).
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 12, 1, 13, 0, 0, TimeSpan.Zero));
    private readonly RecordingChatSender slack = new("slack");
    private TestDatabase database = null!;
    private TestServer server = null!;
    private SignedEscalations helpdesk = null!;

    public async Task InitializeAsync()
    {
        database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, Organisation);
        server = await TestServer.StartAsync(database,
            [$"--Intake:Sources:helpdesk:Secret={Secret}", "--Outbox:PollInterval=00:00:00.050"],
            builder => builder.Services.AddSingleton<IChatSender>(slack).AddSingleton<TimeProvider>(clock));
        helpdesk = new SignedEscalations(server.Client, clock, "helpdesk", Secret);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await database.DisposeAsync();
    }

    private static string Raise(string externalId = "HD-1", string? note = null, string extra = "") => $$"""
        { "externalId": "{{externalId}}", "caseRef": "CASE-42", "caseUrl": "https://helpdesk.example/cases/42",
          "summary": "Maria is waiting for a refund of a double charge; call her on +359 88 123 4567",
          "requestedBy": "ana@example.com", "department": "billing"{{(note is null ? "" : $", \"note\": {JsonSerializer.Serialize(note)}")}}{{extra}} }
        """;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<long> RaisedAsync(string json) =>
        (await JsonAsync(await helpdesk.RaiseAsync(json), HttpStatusCode.Created)).GetProperty("id").GetInt64();

    private async Task<List<OutboundMessage>> DeliveredToAsync(string address, int atLeast)
    {
        for (var i = 0; i < 400 && slack.Delivered.Count(m => m.Target.Address == address) < atLeast; i++)
            await Task.Delay(25);
        return slack.Delivered.Where(m => m.Target.Address == address).ToList();
    }

    [Fact]
    public async Task A_raised_escalation_is_due_when_the_departments_SLA_has_run_in_its_business_hours_and_its_summary_is_redacted()
    {
        var raised = await JsonAsync(await helpdesk.RaiseAsync(Raise()), HttpStatusCode.Created);

        // Two working hours are left on Tuesday (15:00–17:00), six more on Wednesday from 09:00: due at 15:00 Sofia time.
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 13, 0, 0, TimeSpan.Zero), raised.GetProperty("dueAt").GetDateTimeOffset());
        var shown = await JsonAsync(await helpdesk.ShowAsync(raised.GetProperty("id").GetInt64()), HttpStatusCode.OK);
        Assert.Equal("open", shown.GetProperty("status").GetString());
        Assert.Equal("billing", shown.GetProperty("department").GetString());
        Assert.Equal("ana@example.com", shown.GetProperty("requestedBy").GetString());
        Assert.DoesNotContain("123 4567", shown.GetProperty("summary").GetString());
        var created = Assert.Single(shown.GetProperty("history").EnumerateArray());
        Assert.Equal(("created", "ana@example.com"), (created.GetProperty("kind").GetString(), created.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task A_due_time_given_by_the_helpdesk_is_kept()
    {
        var raised = await JsonAsync(await helpdesk.RaiseAsync(Raise(extra: ", \"dueAt\": \"2026-12-04T10:30:00+02:00\"")), HttpStatusCode.Created);

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 8, 30, 0, TimeSpan.Zero), raised.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Raising_the_same_external_id_twice_opens_one_escalation()
    {
        var first = await RaisedAsync(Raise("HD-7"));

        var again = await JsonAsync(await helpdesk.RaiseAsync(Raise("HD-7")), HttpStatusCode.OK);

        Assert.Equal(first, again.GetProperty("id").GetInt64());
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM escalations"), CancellationToken.None));
    }

    [Theory]
    [InlineData("""{ "externalId": "x", "summary": "s", "requestedBy": "ana@example.com", "department": "billing" }""", "caseRef")]
    [InlineData("""{ "caseRef": "C", "summary": 5, "requestedBy": "ana@example.com", "department": "billing" }""", "summary")]
    [InlineData("""{ "caseRef": "C", "summary": "U\ud800", "requestedBy": "ana@example.com", "department": "billing" }""", "summary")]
    [InlineData("""{ "caseRef": "C", "summary": "s", "requestedBy": "ana@example.com", "department": "billing", "dueAt": "01/02/2026" }""", "dueAt")]
    [InlineData("""{ "caseRef": "C", "summary": "s", "requestedBy": "ana@example.com", "department": "billing", "dueAt": "2026-12-04T10:30:00" }""", "dueAt")]
    [InlineData("""{ "caseRef": "C", "caseUrl": "javascript:alert(1)", "summary": "s", "requestedBy": "ana@example.com", "department": "billing" }""", "caseUrl")]
    [InlineData("""{ "caseRef": "C", "summary": "s", "requestedBy": "ana@example.com", "department": "billing", "useSofterNote": "yes" }""", "useSofterNote")]
    public async Task A_field_that_cannot_be_used_is_refused_with_400_naming_it(string json, string field)
    {
        var problem = await JsonAsync(await helpdesk.RaiseAsync(json), HttpStatusCode.BadRequest);

        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(0, await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM escalations"), CancellationToken.None));
    }

    [Theory]
    [InlineData("\"department\": \"legal\"", "department", "legal")]
    [InlineData("\"owner\": \"nobody@example.com\"", "owner", "nobody@example.com")]
    public async Task An_unknown_department_or_person_is_refused_with_422_naming_it(string replacement, string field, string named)
    {
        var json = Raise().Replace("\"department\": \"billing\"", replacement.StartsWith("\"owner\"", StringComparison.Ordinal) ? $"\"department\": \"billing\", {replacement}" : replacement, StringComparison.Ordinal);

        var problem = await JsonAsync(await helpdesk.RaiseAsync(json), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_request_without_a_valid_signature_is_refused_and_an_unknown_id_is_not_found()
    {
        var forged = await helpdesk.SendAsync(HttpMethod.Post, "/api/escalations", Raise(), signWith: "another-secret-0123456789abcdef");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await helpdesk.ShowAsync(404)).StatusCode);
    }

    [Fact]
    public async Task A_commanding_note_is_withheld_with_a_softer_rewrite_and_forwarded_only_when_the_rewrite_is_chosen()
    {
        var withheld = await JsonAsync(await helpdesk.RaiseAsync(Raise("HD-1", "Fix this refund ASAP!!")), HttpStatusCode.Created);
        var softened = await JsonAsync(await helpdesk.RaiseAsync(Raise("HD-2", "Fix this refund ASAP!!", ", \"useSofterNote\": true")), HttpStatusCode.Created);
        var fine = await JsonAsync(await helpdesk.RaiseAsync(Raise("HD-3", "Could you check the refund? The customer has been very patient.")), HttpStatusCode.Created);

        var note = withheld.GetProperty("note");
        Assert.False(note.GetProperty("fine").GetBoolean());
        Assert.False(note.GetProperty("forwarded").GetBoolean());
        Assert.NotEmpty(note.GetProperty("flags").EnumerateArray());
        var rewrite = note.GetProperty("rewrite").GetString()!;
        Assert.DoesNotContain("ASAP", rewrite);
        Assert.Equal(JsonValueKind.Null, (await NoteOfAsync(withheld)).ValueKind);
        Assert.True(softened.GetProperty("note").GetProperty("forwarded").GetBoolean());
        Assert.Equal(rewrite, (await NoteOfAsync(softened)).GetString());
        Assert.True(fine.GetProperty("note").GetProperty("fine").GetBoolean());
        Assert.Equal("Could you check the refund? The customer has been very patient.", (await NoteOfAsync(fine)).GetString());
    }

    private async Task<JsonElement> NoteOfAsync(JsonElement raised) =>
        (await JsonAsync(await helpdesk.ShowAsync(raised.GetProperty("id").GetInt64()), HttpStatusCode.OK)).GetProperty("note");

    [Fact]
    public async Task Resolving_tells_the_requester_who_helped_thanks_the_resolver_and_a_second_resolution_is_a_conflict()
    {
        var id = await RaisedAsync(Raise());

        var resolved = await helpdesk.ResolveAsync(id, """{ "resolvedBy": "mihai@example.com", "note": "Refunded the double charge today." }""");
        var again = await helpdesk.ResolveAsync(id, """{ "resolvedBy": "lena@example.com" }""");

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var conflict = await JsonAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("Mihai Popescu", conflict.GetProperty("detail").GetString());
        var toAna = Assert.Single(await DeliveredToAsync("UANA", 1));
        Assert.Contains("Mihai Popescu", MessageText.Of(toAna.Message));
        Assert.Contains("Refunded the double charge today.", MessageText.Of(toAna.Message));
        var toMihai = Assert.Single(await DeliveredToAsync("UMIHAI", 1));
        Assert.Contains("Mulțumim, Mihai!", MessageText.Of(toMihai.Message));
        var shown = await JsonAsync(await helpdesk.ShowAsync(id), HttpStatusCode.OK);
        Assert.Equal(("resolved", "mihai@example.com"), (shown.GetProperty("status").GetString(), shown.GetProperty("resolvedBy").GetString()));
        Assert.Equal(["created", "resolved", "comment"], shown.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!));
    }

    [Fact]
    public async Task A_cancelled_escalation_cannot_be_resolved_afterwards()
    {
        var id = await RaisedAsync(Raise());

        var cancelled = await helpdesk.CancelAsync(id, """{ "note": "The customer withdrew the complaint." }""");
        var resolved = await helpdesk.ResolveAsync(id, """{ "resolvedBy": "mihai@example.com" }""");

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, resolved.StatusCode);
        var shown = await JsonAsync(await helpdesk.ShowAsync(id), HttpStatusCode.OK);
        Assert.Equal("cancelled", shown.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_customers_later_thanks_on_a_resolved_case_travel_on_to_the_resolver()
    {
        var id = await RaisedAsync(Raise());
        Assert.Equal(HttpStatusCode.OK, (await helpdesk.ResolveAsync(id, """{ "resolvedBy": "mihai@example.com" }""")).StatusCode);

        var feedback = await SignedFeedback.PostAsync(server.Client, """
            [{ "externalId": "f1", "caseRef": "CASE-42", "agentEmail": "ana@example.com", "rating": { "scale": "csat5", "value": 5 },
               "text": "Thank you, the refund arrived quickly." }]
            """, "helpdesk", Secret, clock.GetUtcNow());

        Assert.Equal(HttpStatusCode.Accepted, feedback.StatusCode);
        var toMihai = await DeliveredToAsync("UMIHAI", 2);
        Assert.Contains(toMihai, m => MessageText.Of(m.Message).Contains("the refund arrived quickly", StringComparison.Ordinal));
    }
}
