using System.Text.Json.Nodes;
using KudosRelay.Teams.Inbound;
using KudosRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace KudosRelay.Teams.Tests.Inbound;

/// <summary>The cache of verified tokens: what may enter it, and when an entry stops counting.</summary>
public sealed class BotTokenValidatorTests : IDisposable
{
    private readonly ManualClock clock = new();
    private readonly KeyServer server = new();
    private readonly SigningKeys keys;
    private readonly BotTokenValidator validator;

    public BotTokenValidatorTests()
    {
        var options = Options.Create(new TeamsOptions { AppId = KeyServer.AppId, OpenIdMetadataUrl = "https://login.test/openid" });
        keys = new SigningKeys(server, options, clock, NullLogger<SigningKeys>.Instance);
        validator = new BotTokenValidator(keys, options, clock);
    }

    public void Dispose()
    {
        keys.Dispose();
        server.Dispose();
    }

    private Task<ValidatedToken?> ValidateAsync(string token) => validator.ValidateAsync("Bearer " + token, CancellationToken.None);

    [Fact]
    public async Task A_reused_token_is_remembered_once_and_keeps_its_claims()
    {
        var token = server.Token(clock.GetUtcNow(), TimeSpan.FromHours(1));

        for (var i = 0; i < 3; i++)
        {
            var validated = await ValidateAsync(token);
            Assert.NotNull(validated);
            Assert.Equal(KeyServer.ServiceUrl, validated.ServiceUrl);
        }

        Assert.Equal(1, validator.CachedTokens);
    }

    [Fact]
    public async Task A_cached_token_is_still_checked_against_each_activity()
    {
        var token = server.Token(clock.GetUtcNow(), TimeSpan.FromHours(1));
        await ValidateAsync(token);

        var cached = await ValidateAsync(token);

        Assert.True(cached!.Matches("msteams", KeyServer.ServiceUrl));
        Assert.False(cached.Matches("msteams", "https://attacker.example.com/"));
        Assert.False(cached.Matches("webchat", KeyServer.ServiceUrl));
    }

    [Fact]
    public async Task A_tampered_copy_of_a_cached_token_is_refused_and_never_cached()
    {
        var token = server.Token(clock.GetUtcNow(), TimeSpan.FromHours(1));
        Assert.NotNull(await ValidateAsync(token));

        Assert.Null(await ValidateAsync(WithLongerLife(token)));
        Assert.Null(await ValidateAsync(WithSignatureByteFlipped(token)));
        Assert.Null(await ValidateAsync(token + "x"));

        Assert.Equal(1, validator.CachedTokens);
        Assert.NotNull(await ValidateAsync(token));
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_it_has_expired()
    {
        var token = server.Token(clock.GetUtcNow(), TimeSpan.FromHours(1));
        Assert.NotNull(await ValidateAsync(token));

        // Past the expiry and the five minutes' skew the full check allows.
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(6));

        Assert.Null(await ValidateAsync(token));
        Assert.Equal(0, validator.CachedTokens);
    }

    [Fact]
    public async Task A_cached_token_is_refused_after_a_key_refresh_drops_its_kid()
    {
        var token = server.Token(clock.GetUtcNow(), TimeSpan.FromHours(1));
        Assert.NotNull(await ValidateAsync(token));

        // The Bot Framework rotates k1 out; a token under the new kid makes the keys refresh.
        clock.Advance(TimeSpan.FromMinutes(2));
        server.Kids = ["k2"];
        Assert.NotNull(await ValidateAsync(server.Token(clock.GetUtcNow(), TimeSpan.FromHours(1), kid: "k2")));

        Assert.Null(await ValidateAsync(token));
        Assert.Equal(2, server.KeyFetches);
    }

    [Fact]
    public async Task A_token_that_fails_is_never_cached()
    {
        var expired = server.Token(clock.GetUtcNow() - TimeSpan.FromHours(2), TimeSpan.FromHours(1));
        var unknownKid = server.Token(clock.GetUtcNow(), TimeSpan.FromHours(1), kid: "forged");

        Assert.Null(await ValidateAsync(expired));
        Assert.Null(await ValidateAsync(unknownKid));

        Assert.Equal(0, validator.CachedTokens);
    }

    private static string WithLongerLife(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["exp"] = payload["exp"]!.GetValue<long>() + 86_400;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private static string WithSignatureByteFlipped(string token)
    {
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0x01;
        return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }
}
