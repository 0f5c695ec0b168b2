using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KudosRelay.Testing;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace KudosRelay.Host.Tests.Teams;

/// <summary>"Connector to bot" authentication: every broken or forged token gets 401 and reaches nothing.</summary>
public sealed class TeamsAuthenticationTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private FakeBotFramework fake = null!;
    private TeamsHost host = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        fake = await FakeBotFramework.StartAsync();
        host = await TeamsHost.StartAsync(database, fake);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await fake.DisposeAsync();
        await database.DisposeAsync();
    }

    private JsonObject HelpMessage()
    {
        var activity = SpecFiles.Example("examples/teams/botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["serviceUrl"] = fake.ServiceUrl;
        activity["text"] = "<at>TestBot</at> help";
        return activity;
    }

    public static TheoryData<string> BrokenTokens =>
    [
        "expired", "not yet valid", "wrong audience", "wrong issuer", "alg none", "HS256 signed with the public key",
        "unknown kid", "key without the channel's endorsement", "serviceurl mismatch", "tampered payload",
        "missing header", "malformed token", "signature by another key under a known kid", "basic scheme", "empty bearer",
        "activity from a channel the key is not endorsed for",
    ];

    [Theory]
    [MemberData(nameof(BrokenTokens))]
    public async Task A_broken_or_forged_token_is_rejected_with_401_and_no_detail(string broken)
    {
        var activity = HelpMessage();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        using var strangerKey = RSA.Create(2048);
        var (token, scheme) = broken switch
        {
            "expired" => (fake.Token(notBefore: now.AddHours(-2), expires: now.AddMinutes(-6)), "Bearer"),
            "not yet valid" => (fake.Token(notBefore: now.AddMinutes(6), expires: now.AddHours(1)), "Bearer"),
            "wrong audience" => (fake.Token(audience: "99999999-1111-2222-3333-444444444444"), "Bearer"),
            "wrong issuer" => (fake.Token(issuer: "https://sts.windows.net/some-tenant/"), "Bearer"),
            "alg none" => (Unsigned(fake.Token()), "Bearer"),
            "HS256 signed with the public key" => (HmacWithPublicKey(fake.Token(), fake.SigningKey), "Bearer"),
            "unknown kid" => (fake.Token(key: strangerKey, kid: "someone-elses-key"), "Bearer"),
            "key without the channel's endorsement" => (fake.Token(key: fake.UnendorsedKey, kid: FakeBotFramework.UnendorsedKid), "Bearer"),
            "serviceurl mismatch" => (fake.Token(serviceUrl: "https://attacker.example.com/"), "Bearer"),
            "tampered payload" => (Tampered(fake.Token()), "Bearer"),
            "missing header" => ((string?)null, (string?)null),
            "malformed token" => ("this-is.not-a.jwt-at-all", "Bearer"),
            "signature by another key under a known kid" => (fake.Token(key: strangerKey), "Bearer"),
            "basic scheme" => (Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:secret")), "Basic"),
            "empty bearer" => ("", "Bearer"),
            "activity from a channel the key is not endorsed for" => (fake.Token(), "Bearer"),
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };
        if (broken == "activity from a channel the key is not endorsed for")
            activity["channelId"] = "webchat";

        using var response = await host.PostRawAsync(activity.ToJsonString(), token, scheme);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(host.Handler.Requests);
    }

    [Fact]
    public async Task A_chunked_activity_over_256_KB_is_refused_like_a_declared_one()
    {
        var activity = SpecFiles.Example("examples/teams/botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["text"] = new string('x', 300 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ChunkedContent(System.Text.Encoding.UTF8.GetBytes(activity.ToJsonString())) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Fake.Token(activity["serviceUrl"]!.GetValue<string>()));

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Handler.Requests);
    }

    /// <summary>A body sent without a Content-Length, in chunks.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_genuine_token_is_accepted()
    {
        using var response = await host.PostAsync(HelpMessage());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Handler.Requests);
    }

    [Fact]
    public async Task Signing_keys_are_fetched_once_and_cached_across_requests()
    {
        for (var i = 0; i < 5; i++)
        {
            var activity = HelpMessage();
            activity["id"] = $"message-{i}";
            using var response = await host.PostAsync(activity);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, fake.KeyRequests);
    }

    [Fact]
    public async Task Tokens_naming_unknown_keys_do_not_hammer_the_key_server()
    {
        using var strangerKey = RSA.Create(2048);
        for (var i = 0; i < 5; i++)
        {
            using var response = await host.PostAsync(HelpMessage(), fake.Token(key: strangerKey, kid: $"forged-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.True(fake.KeyRequests <= 2, $"keys fetched {fake.KeyRequests} times");
    }

    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"JWT","kid":"{{FakeBotFramework.SigningKid}}"}""");
        return $"{header}.{parts[1]}.";
    }

    /// <summary>The classic confusion attack: HMAC keyed with the RSA public key a verifier might pass as a secret.</summary>
    private static string HmacWithPublicKey(string token, RSA key)
    {
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode($$"""{"alg":"HS256","typ":"JWT","kid":"{{FakeBotFramework.SigningKid}}"}""");
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.ExportSubjectPublicKeyInfoPem()), Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
        return $"{header}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        // A longer life is the kind of change a thief wants; everything else about the token stays genuine.
        payload["exp"] = payload["exp"]!.GetValue<long>() + 86_400;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }
}
