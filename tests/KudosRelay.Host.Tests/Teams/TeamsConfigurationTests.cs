using System.Net;
using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Teams;

public sealed class TeamsConfigurationTests
{
    [Fact]
    public async Task Without_teams_keys_there_is_no_messaging_endpoint_and_no_teams_sender()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await TestServer.StartAsync(database);

        using var response = await server.Client.PostAsync("/api/messages", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(server.Services.GetServices<IChatSender>(), sender => sender.Platform == "teams");
    }

    [Fact]
    public async Task With_teams_keys_the_teams_sender_replaces_the_console_sender()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var fake = await FakeBotFramework.StartAsync();
        await using var host = await TeamsHost.StartAsync(database, fake);

        var sender = Assert.Single(host.Services.GetServices<IChatSender>());
        Assert.Equal("teams", sender.Platform);
    }

    [Fact]
    public async Task A_missing_app_password_is_reported_by_its_key_at_start()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestServer.StartAsync(database, "--Teams:AppId=abc", "--Teams:OpenIdMetadataUrl=not a url"));

        Assert.Contains("Teams:AppPassword", error.Message, StringComparison.Ordinal);
        Assert.Contains("Teams:OpenIdMetadataUrl", error.Message, StringComparison.Ordinal);
    }
}
