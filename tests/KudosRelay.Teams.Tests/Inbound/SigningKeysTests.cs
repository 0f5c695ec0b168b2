using KudosRelay.Teams.Inbound;
using KudosRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace KudosRelay.Teams.Tests.Inbound;

public sealed class SigningKeysTests : IDisposable
{
    private readonly ManualClock clock = new();
    private readonly KeyServer server = new();
    private readonly SigningKeys keys;

    public SigningKeysTests()
    {
        keys = new SigningKeys(server, Options.Create(new TeamsOptions { AppId = "app", OpenIdMetadataUrl = "https://login.test/openid" }), clock, NullLogger<SigningKeys>.Instance);
    }

    public void Dispose()
    {
        keys.Dispose();
        server.Dispose();
    }

    [Fact]
    public async Task Keys_are_fetched_once_then_served_from_the_cache_with_their_endorsements()
    {
        for (var i = 0; i < 3; i++)
            Assert.Contains("msteams", (await keys.FindAsync("k1", CancellationToken.None))!.Endorsements);

        Assert.Equal(1, server.KeyFetches);
    }

    [Fact]
    public async Task Keys_are_refreshed_after_a_day()
    {
        await keys.FindAsync("k1", CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(23));
        await keys.FindAsync("k1", CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));
        await keys.FindAsync("k1", CancellationToken.None);

        Assert.Equal(2, server.KeyFetches);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_keys_at_most_once_a_minute()
    {
        await keys.FindAsync("k1", CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        server.Kids = ["k1", "k2"];

        Assert.NotNull(await keys.FindAsync("k2", CancellationToken.None));
        Assert.Null(await keys.FindAsync("forged-1", CancellationToken.None));
        Assert.Null(await keys.FindAsync("forged-2", CancellationToken.None));
        Assert.Equal(2, server.KeyFetches);
    }

    [Fact]
    public async Task A_failing_key_server_keeps_the_keys_already_known()
    {
        await keys.FindAsync("k1", CancellationToken.None);
        server.Down = true;
        clock.Advance(TimeSpan.FromDays(1));

        Assert.NotNull(await keys.FindAsync("k1", CancellationToken.None));
    }
}
