using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using KudosRelay.Host.Tests.Outbox;
using KudosRelay.Testing;

namespace KudosRelay.Host.Tests.Teams;

/// <summary>
/// Bot Framework on loopback: the OpenID metadata and JWKS (a test RSA key endorsed for msteams and
/// one endorsed for nothing), the OAuth token endpoint and a Bot Connector that records every call.
/// </summary>
internal sealed class FakeBotFramework : IAsyncDisposable
{
    public const string BotToken = "bot-access-token-for-tests";
    public const string AppId = "00000000-1111-2222-3333-444444444444";
    public const string AppPassword = "test-secret";

    private static readonly string[] Rs256 = ["RS256"];
    private static readonly string[] PrivateKeyJwt = ["private_key_jwt"];

    private readonly WebApplication app;
    private int activityIds;

    private FakeBotFramework(WebApplication app)
    {
        this.app = app;
    }

    public RSA SigningKey { get; } = RSA.Create(2048);
    public RSA UnendorsedKey { get; } = RSA.Create(2048);
    public const string SigningKid = "test-key-1";
    public const string UnendorsedKid = "test-key-unendorsed";

    public string BaseUrl => app.Urls.First();

    /// <summary>The service URL the fake Connector serves, as a Teams activity would carry it.</summary>
    public string ServiceUrl => BaseUrl + "/connector/";

    public ConcurrentQueue<ConnectorCall> Calls { get; } = new();
    public int TokenRequests;
    public int KeyRequests;

    /// <summary>What GetConversationMember answers, by member id; a member not listed gets 404.</summary>
    public ConcurrentDictionary<string, JsonObject> Members { get; } = new();

    /// <summary>Scripted status for the next Connector calls (429 etc.); empty means 200/201.</summary>
    public ConcurrentQueue<int> NextStatuses { get; } = new();

    private (SlidingWindowLimit Limit, TimeProvider Clock)? conversationLimit;
    private int throttled;

    /// <summary>How many Connector calls <see cref="LimitPerConversation"/> answered 429.</summary>
    public int ThrottledCount => Volatile.Read(ref throttled);

    /// <summary>
    /// From now on the Connector keeps Teams' per-conversation budget for bots, read on <paramref name="clock"/>: at most
    /// 7 operations in a second, 8 in 2 s, 60 in 30 s and 1,800 in an hour per conversation. A call over it is answered
    /// 429 with <c>Retry-After: 1</c> and not carried out.
    /// </summary>
    public void LimitPerConversation(TimeProvider clock) =>
        conversationLimit = (new SlidingWindowLimit([(7, TimeSpan.FromSeconds(1)), (8, TimeSpan.FromSeconds(2)), (60, TimeSpan.FromSeconds(30)), (1800, TimeSpan.FromHours(1))]), clock);

    public sealed record ConnectorCall(string Method, string Path, string? Authorization, JsonNode? Body);

    public string[] HostArguments(params string[] more) =>
    [
        $"--Teams:AppId={AppId}",
        $"--Teams:AppPassword={AppPassword}",
        $"--Teams:OpenIdMetadataUrl={BaseUrl}/openid",
        $"--Teams:TokenEndpoint={BaseUrl}/token",
        $"--Teams:AllowedServiceUrls:0={BaseUrl}/",
        "--Outbox:PollInterval=00:00:00.100",
        .. more,
    ];

    public static async Task<FakeBotFramework> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBotFramework(app);
        app.MapGet("/openid", () => Results.Json(new
        {
            issuer = "https://api.botframework.com",
            authorization_endpoint = "https://invalid.botframework.com",
            jwks_uri = fake.BaseUrl + "/keys",
            id_token_signing_alg_values_supported = Rs256,
            token_endpoint_auth_methods_supported = PrivateKeyJwt,
        }));
        app.MapGet("/keys", () =>
        {
            Interlocked.Increment(ref fake.KeyRequests);
            return Results.Json(new { keys = new[] { Jwk(fake.SigningKey, SigningKid, ["msteams", "skype"]), Jwk(fake.UnendorsedKey, UnendorsedKid, ["webchat"]) } });
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref fake.TokenRequests);
            var form = await request.ReadFormAsync();
            if (form["client_id"] != AppId || form["client_secret"] != AppPassword || form["grant_type"] != "client_credentials"
                || form["scope"] != "https://api.botframework.com/.default")
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            return Results.Json(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = BotToken });
        });
        app.Map("/connector/{**rest}", async (HttpRequest request) =>
        {
            var body = request.ContentLength > 0 || request.Headers.ContentType.Count > 0 ? await JsonNode.ParseAsync(request.Body) : null;
            fake.Calls.Enqueue(new ConnectorCall(request.Method, Uri.UnescapeDataString(request.Path.Value!["/connector".Length..]), request.Headers.Authorization, body));
            if (fake.conversationLimit is var (limit, clock) && ConversationOf(request.Path.Value!) is { } conversation
                && !limit.TryTake(conversation, clock.GetUtcNow()))
            {
                Interlocked.Increment(ref fake.throttled);
                request.HttpContext.Response.Headers.RetryAfter = "1";
                return Results.Json(new { error = new { code = "Throttled", message = "slow down" } }, statusCode: 429);
            }
            if (fake.NextStatuses.TryDequeue(out var status))
                return Results.Json(new { error = new { code = "Throttled", message = "slow down" } }, statusCode: status);
            if (request.Method == "GET" && request.Path.Value!.Contains("/members/", StringComparison.Ordinal))
            {
                var memberId = Uri.UnescapeDataString(request.Path.Value![(request.Path.Value!.LastIndexOf('/') + 1)..]);
                return fake.Members.TryGetValue(memberId, out var member)
                    ? Results.Json(member)
                    : Results.Json(new { error = new { code = "MemberNotFoundInConversation", message = "not found" } }, statusCode: 404);
            }
            var id = $"activity-{Interlocked.Increment(ref fake.activityIds)}";
            return request.Path.Value!.EndsWith("/v3/conversations", StringComparison.Ordinal)
                ? Results.Json(new { id = "a:created-1to1-conversation", activityId = (string?)null }, statusCode: 201)
                : Results.Json(new { id }, statusCode: request.Method == "PUT" ? 200 : 201);
        });
        await app.StartAsync();
        return fake;
    }

    /// <summary>The conversation of a Connector path <c>/connector/v3/conversations/{id}/…</c>; null for creating one.</summary>
    private static string? ConversationOf(string path)
    {
        const string Prefix = "/connector/v3/conversations/";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var rest = Uri.UnescapeDataString(path[Prefix.Length..]);
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? rest[..slash] : null;
    }

    private static object Jwk(RSA key, string kid, string[] endorsements)
    {
        var parameters = key.ExportParameters(false);
        return new
        {
            kty = "RSA",
            use = "sig",
            kid,
            n = Base64UrlEncoder.Encode(parameters.Modulus),
            e = Base64UrlEncoder.Encode(parameters.Exponent),
            endorsements,
        };
    }

    /// <summary>Posts an activity to the bot's <c>/api/messages</c> as the Bot Framework would, with a token for its service URL.</summary>
    public Task<HttpResponseMessage> PostActivityAsync(HttpClient bot, JsonNode activity) =>
        PostActivityAsync(bot, activity.ToJsonString(), Token(activity["serviceUrl"]?.GetValue<string>()));

    public static async Task<HttpResponseMessage> PostActivityAsync(HttpClient bot, string body, string? token, string? scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (scheme is not null && token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        return await bot.SendAsync(request);
    }

    /// <summary>An example activity from the specification folder, sent from this fake's service URL.</summary>
    public JsonObject Example(string name)
    {
        var activity = SpecFiles.Example($"examples/teams/{name}");
        activity["serviceUrl"] = ServiceUrl;
        return activity;
    }

    /// <summary>A Connector-to-bot token as the Bot Framework issues it, with knobs to break each part.</summary>
    public string Token(
        string? serviceUrl = null,
        string issuer = "https://api.botframework.com",
        string audience = AppId,
        DateTime? notBefore = null,
        DateTime? expires = null,
        RSA? key = null,
        string kid = SigningKid)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now.AddMinutes(-1)),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddHours(1),
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl ?? ServiceUrl },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? SigningKey) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        SigningKey.Dispose();
        UnendorsedKey.Dispose();
    }
}
