using System.Text.Json.Nodes;
using Xunit;
using KudosRelay.Testing;

namespace KudosRelay.Slack.Tests.Manifest;

public sealed class ManifestTests
{
    private static readonly SpecSchema V1 = SpecSchema.Load("slack", "manifest", "schemas", "manifest.schema.1.0.0.json");

    private static JsonNode OurManifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(SpecFiles.RepositoryRoot, "manifests", "slack", "manifest.json")))!;

    [Fact]
    public void The_validator_accepts_slacks_valid_fixture_and_refuses_its_invalid_one()
    {
        Assert.Empty(V1.Validate(SpecFiles.Load("slack", "manifest", "tests", "v1", "manifest.valid.json")));
        Assert.NotEmpty(V1.Validate(SpecFiles.Load("slack", "manifest", "tests", "v1", "manifest.invalid.json")));
    }

    [Fact]
    public void Our_manifest_is_valid_against_slacks_v1_schema()
    {
        var errors = V1.Validate(OurManifest());

        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public void Our_manifest_passes_the_all_versions_dispatch_on_major_version()
    {
        var manifest = OurManifest();

        Assert.Equal(1, (int)manifest["_metadata"]!["major_version"]!);
    }

    [Fact]
    public void Request_urls_point_at_our_endpoints_on_the_placeholder_host()
    {
        var manifest = OurManifest();

        Assert.Equal("https://YOUR-HOST/slack/events", (string?)manifest["settings"]!["event_subscriptions"]!["request_url"]);
        Assert.Equal("https://YOUR-HOST/slack/interactions", (string?)manifest["settings"]!["interactivity"]!["request_url"]);
        Assert.All(manifest["features"]!["slash_commands"]!.AsArray(), c => Assert.Equal("https://YOUR-HOST/slack/commands", (string?)c!["url"]));
        Assert.True((bool)manifest["features"]!["app_home"]!["home_tab_enabled"]!);
    }

    [Fact]
    public void Every_slash_command_is_in_the_command_table_and_every_handled_event_is_subscribed()
    {
        var manifest = OurManifest();

        Assert.All(manifest["features"]!["slash_commands"]!.AsArray(), c => Assert.True(KudosRelay.Slack.Inbound.SlackCommandTable.IsKnown((string)c!["command"]!)));
        var events = manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => (string)e!).ToHashSet();
        Assert.Superset(events, new HashSet<string> { "app_mention", "message.im", "app_home_opened", "app_uninstalled", "tokens_revoked" });
    }

    [Fact]
    public void Scopes_cover_the_web_api_methods_the_client_calls()
    {
        var scopes = OurManifest()["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => (string)s!).ToHashSet();

        // chat.postMessage/update/postEphemeral → chat:write; conversations.open → im:write;
        // users.info → users:read; users.lookupByEmail → users:read.email; slash commands → commands.
        Assert.Superset(scopes, new HashSet<string> { "chat:write", "im:write", "users:read", "users:read.email", "commands", "app_mentions:read", "im:history", "channels:history", "groups:history", "mpim:history" });
    }
}
