using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KudosRelay.Host.Tests.Kudos;
using KudosRelay.Testing;
using Xunit;
using Xunit.Abstractions;

namespace KudosRelay.Host.Tests.Inbound;

/// <summary>
/// Correctly signed, malformed requests to all five endpoints through the real host (both platforms and the
/// intake, real features, a SQLite file), generated from a fixed seed: whatever they hold, none is answered
/// 5xx (but 501, Teams' answer to an invoke the bot does not handle), and the host is healthy afterwards.
/// </summary>
public sealed class InboundFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 14_2026;
    private const int PerEndpoint = 400;

    /// <summary>Requests in flight at once: enough to mix them in the host, few enough for a two-core machine.</summary>
    private const int InFlight = 4;

    private PlatformsHost host = null!;

    public async Task InitializeAsync() => host = await PlatformsHost.StartAsync(MalformedInputTests.Organisation);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static readonly string[] SlackExamples = ["event_callback.app_mention.json", "event_callback.message.json", "url_verification.json"];

    private static readonly string[] TeamsExamples =
    [
        "botbuilder-microsoftteams/SampleActivityAtMention.json", "botbuilder-microsoftteams/SampleActivity2AtMentions.json",
        "msteams-docs/conversationUpdate.botAddedToTeam.json", "msteams-docs/conversationUpdate.botAddedToPersonalChat.json",
        "synthesized/invoke.adaptiveCard-action.json",
    ];

    private sealed record Sent(string Endpoint, int Index, byte[] Body, Func<Task<HttpResponseMessage>> Send);

    [Fact]
    public async Task Over_two_thousand_signed_malformed_requests_get_no_5xx_and_the_host_stays_healthy()
    {
        var send = new SignedInbound(host.Server.Client, host.Teams.Token());
        var requests = Generate(send).ToList();
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<(string, int), int>();
        var watch = Stopwatch.StartNew();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (request, _) =>
        {
            using var response = await request.Send();
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate((request.Endpoint, status), 1, (_, n) => n + 1);
            if (status >= 500 && !(request.Endpoint == "/api/messages" && status == 501))
                failures.Enqueue($"{request.Endpoint} #{request.Index} → {status}: {Describe(request.Body)}");
        });

        output.WriteLine($"{requests.Count} requests in {watch.Elapsed.TotalSeconds:0.0} s (seed {Seed})");
        foreach (var ((endpoint, status), count) in statuses.OrderBy(s => s.Key))
            output.WriteLine($"{endpoint} {status}: {count}");
        Assert.True(requests.Count >= 2000, $"only {requests.Count} requests");
        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(20)));
        using var health = await host.Server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private IEnumerable<Sent> Generate(SignedInbound send)
    {
        var make = new MalformedRequests(Seed);
        var events = SlackExamples
            .Select(name => (JsonNode)SpecFiles.Example("examples", "slack", "bolt-python", name))
            .Concat(
            [
                SlackEvent("""{"type":"message","channel_type":"im","channel":"D0ANA","user":"UANA","text":"kudos <@UTOM> thanks for the handover","ts":"1.2"}"""),
                SlackEvent("""{"type":"app_home_opened","user":"UANA","channel":"D0ANA","tab":"home"}"""),
                SlackEvent("""{"type":"tokens_revoked","tokens":{"oauth":["UANA"],"bot":["UBOT"]}}"""),
            ]).ToArray();
        var commands = new[] { ("/kudos", "<@UTOM|tom> thanks for covering my shift"), ("/kudosrelay", "settings"), ("/kudosrelay", "help") };
        var payload = SpecFiles.Load("examples", "slack", "bolt-python", "block_actions.payload.json");
        var activities = TeamsExamples.Select(name => (JsonNode)host.Teams.Example(name)).ToArray();
        var feedback = JsonNode.Parse("""
            { "items": [
              { "externalId": "f-1", "receivedAt": "2026-11-23T09:12:00Z", "rating": { "scale": "csat5", "value": 5 },
                "text": "Ana sorted out my refund in five minutes!", "agentEmail": "ana@example.com", "team": "care",
                "customer": { "name": "Maria Ivanova" }, "caseRef": "CASE-42", "language": "en" },
              { "externalId": 17, "rating": { "scale": "thumbs", "value": "up" }, "ticket": { "assigneeEmail": "tom@example.com" } },
              { "externalId": "f-3", "text": "Thank you so much", "agentEmail": "ana@example.com" } ] }
            """)!;
        var escalation = JsonNode.Parse("""
            { "externalId": "e-1", "caseRef": "CASE-42", "caseUrl": "https://helpdesk.example/cases/42",
              "summary": "Maria is waiting for a refund", "requestedBy": "ana@example.com", "department": "care",
              "owner": "tom@example.com", "note": "Could you check the refund?", "dueAt": "2026-12-03T15:00:00+02:00", "useSofterNote": false }
            """)!;
        var closing = JsonNode.Parse("""{ "resolvedBy": "tom@example.com", "note": "Refunded today." }""")!;

        for (var i = 0; i < PerEndpoint; i++)
        {
            var valid = events[i % events.Length].DeepClone();
            if (valid["event_id"] is not null)
                valid["event_id"] = $"EvFuzz{i}";
            var eventBody = make.Json(valid);
            yield return new("/slack/events", i, eventBody, () => send.SlackAsync("/slack/events", eventBody, "application/json"));

            var (command, text) = commands[i % commands.Length];
            var form = make.Form(
            [
                ("token", "x"), ("team_id", "T111"), ("channel_id", "C0CARE"), ("user_id", "UANA"), ("user_name", "ana"),
                ("command", command), ("text", text), ("response_url", host.Slack.BaseUrl + "commands/T111/1/x"), ("trigger_id", $"{i}.111.fuzz"),
            ]);
            yield return new("/slack/commands", i, form, () => send.SlackAsync("/slack/commands", form, SignedInbound.Form));

            var click = payload.DeepClone();
            click["trigger_id"] = $"{i}.222.fuzz";
            var interaction = make.Interaction(click);
            yield return new("/slack/interactions", i, interaction, () => send.SlackAsync("/slack/interactions", interaction, SignedInbound.Form));

            var activity = activities[i % activities.Length].DeepClone();
            activity["id"] = $"fuzz-{i}";
            var activityBody = make.Json(activity);
            yield return new("/api/messages", i, activityBody, () => send.TeamsAsync(activityBody));

            var batch = feedback.DeepClone();
            batch["items"]![0]!["externalId"] = $"f-{i}";
            var feedbackBody = make.Json(batch);
            yield return new("/api/feedback", i, feedbackBody, () => send.FeedbackAsync(feedbackBody));

            var raise = escalation.DeepClone();
            raise["externalId"] = $"e-{i}";
            var escalationBody = make.Json(raise);
            yield return new("/api/escalations", i, escalationBody, () => send.FeedbackAsync(escalationBody, "/api/escalations"));
            if (i % 3 == 0)
            {
                var closingBody = make.Json(closing.DeepClone());
                var path = i % 2 == 0 ? "/api/escalations/1/resolve" : "/api/escalations/1/cancel";
                yield return new(path, i, closingBody, () => send.FeedbackAsync(closingBody, path));
            }
        }
    }

    private static JsonNode SlackEvent(string innerEvent) =>
        JsonNode.Parse($$"""{"token":"x","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"Ev0","event_time":1700000000,"event":{{innerEvent}}}""")!;

    private static string Describe(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length <= 400 ? text : text[..400] + "…";
    }
}
