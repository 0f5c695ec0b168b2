using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace KudosRelay.Host.Tests.Kudos;

/// <summary>Peer kudos given in a Teams channel, through the real host and features, to a fake Bot Framework.</summary>
public sealed class TeamsPeerKudosEndToEndTests : IAsyncLifetime
{
    private const string Tenant = "3b9e9fbb-ed2f-415b-b776-cf788e573366";
    private const string GiaAad = "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff";
    private const string AnaAad = "5a3c9e1f-0000-4000-8000-00000000abcd";

    // Ana never talked to the bot: no conversation with her is known, and the org file names her by object id only.
    private const string Organisation = $$"""
        people:
          - { email: gia@example.com, name: Gia Rossi, teams: "{{GiaAad}}" }
          - { email: ana@example.com, name: Ana Pop, teams: "{{AnaAad}}" }
        """;

    private PlatformsHost host = null!;

    public async Task InitializeAsync() => host = await PlatformsHost.StartAsync(Organisation);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Kudos_for_someone_mentioned_only_by_their_29_id_open_a_1to1_in_the_tenant_of_the_activity_and_arrive()
    {
        var teams = host.Teams;
        teams.Members["29:1-mentioned-user"] = new JsonObject { ["id"] = "29:1-mentioned-user", ["name"] = "Ana Pop", ["aadObjectId"] = AnaAad };
        var activity = teams.Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["from"]!["aadObjectId"] = GiaAad;
        activity["text"] = "<at>TestBot</at> kudos <at>Ana Pop</at> for the calm release notes";
        activity["entities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>Ana Pop</at>",
            ["mentioned"] = new JsonObject { ["id"] = "29:1-mentioned-user", ["name"] = "Ana Pop" },
        });

        using var response = await teams.PostActivityAsync(host.Server.Client, activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The giver's answer and Ana's kudos; nothing dead-lettered.
        await host.DrainedAsync(sent: 2);

        var created = Assert.Single(teams.Calls, c => c.Method == "POST" && c.Path == "/v3/conversations");
        Assert.Equal(Tenant, created.Body!["tenantId"]!.GetValue<string>());
        Assert.Equal(AnaAad, created.Body!["members"]![0]!["aadObjectId"]!.GetValue<string>());
        var delivered = Assert.Single(teams.Calls, c => c.Path == "/v3/conversations/a:created-1to1-conversation/activities");
        Assert.Contains("calm release notes", delivered.Body!.ToJsonString(), StringComparison.Ordinal);
    }
}
