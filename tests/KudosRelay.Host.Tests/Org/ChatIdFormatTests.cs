using KudosRelay.Core.People;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Org;

/// <summary>
/// The Slack and Teams id formats as an org file meets them. They live in the adapters, which Core's tests cannot
/// see; this project sees Core, both adapters and the host that registers them.
/// </summary>
public sealed class ChatIdFormatTests
{
    [Theory]
    [InlineData("people: [{ email: a@example.com, name: A, slack: ana }]", "people[0].slack", "'ana' is not a Slack user id (U… or W…)")]
    [InlineData("people: [{ email: a@example.com, name: A, slack: C012CARE }]", "people[0].slack", "'C012CARE' is not a Slack user id (U… or W…)")]
    [InlineData("people: [{ email: a@example.com, name: A, slack: u012abc }]", "people[0].slack", "'u012abc' is not a Slack user id (U… or W…)")]
    [InlineData("people: [{ email: a@example.com, name: A, teams: ana }]", "people[0].teams", "'ana' is not an Azure AD object id (a GUID)")]
    [InlineData("teams: [{ key: care, name: Care, channels: { slack: general } }]", "teams[0].channels.slack", "'general' is not a Slack channel id (C… or G…)")]
    [InlineData("teams: [{ key: care, name: Care, channels: { slack: D012DM } }]", "teams[0].channels.slack", "'D012DM' is not a Slack channel id (C… or G…)")]
    [InlineData("teams: [{ key: care, name: Care, channels: { teams: general } }]", "teams[0].channels.teams", "'general' is not a Teams channel id (19:…)")]
    [InlineData("digests: [{ name: w, channel: { teams: general }, scope: { organisation: true } }]", "digests[0].channel.teams", "'general' is not a Teams channel id (19:…)")]
    public void An_id_that_is_not_the_platforms_is_reported_with_its_field_path_in_the_platforms_words(string yaml, string path, string message)
    {
        var result = AdapterIdFormats.Reader.Read(yaml);

        Assert.Null(result.Document);
        Assert.Equal([new OrgError(path, message)], result.Errors);
    }

    [Fact]
    public void The_ids_each_platform_gives_are_accepted()
    {
        var result = AdapterIdFormats.Reader.Read("""
            people:
              - { email: ana@example.com, name: Ana, slack: U012ABCDEF, teams: 6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b }
              - { email: bob@example.com, name: Bob, slack: W0ENTERPRISE }
            teams:
              - { key: care, name: Care, channels: { slack: C012CARE, teams: "19:abc@thread.tacv2" } }
              - { key: quiet, name: Quiet, channels: { slack: G012PRIVATE } }
            """);

        Assert.Empty(result.Errors);
        Assert.Equal("6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", result.Document!.People[0].Identities["teams"]);
        Assert.Equal("G012PRIVATE", result.Document.Teams[1].Channels["slack"]);
    }

    [Fact]
    public async Task The_host_checks_org_files_with_both_adapters_formats_when_neither_platform_is_configured()
    {
        await using var app = KudosRelayServer.Create(["--Database:ConnectionString=Data Source=:memory:"]);

        var platforms = app.Services.GetServices<IChatIdFormat>().Select(format => format.Platform);
        var read = app.Services.GetRequiredService<OrgFileReader>().Read("people: [{ email: a@example.com, name: A, slack: ana }]");

        Assert.Equal(["slack", "teams"], platforms);
        Assert.Equal([new OrgError("people[0].slack", "'ana' is not a Slack user id (U… or W…)")], read.Errors);
    }
}
