using System.Net.Http.Json;
using System.Text.Json.Serialization;
using KudosRelay.Core.Messaging;
using Microsoft.Extensions.Options;

namespace KudosRelay.Teams.Connector;

/// <summary>
/// The bot's own access token for the Connector, by OAuth 2.0 client credentials for scope
/// <c>https://api.botframework.com/.default</c> ("Bot to Connector" in
/// <c>bot-framework-rest-connector-authentication.md</c>). Cached until five minutes before it expires.
/// </summary>
internal sealed class BotTokenProvider(IHttpClientFactory httpClients, IOptions<TeamsOptions> options, TimeProvider clock) : IDisposable
{
    public const string HttpClientName = "teams-token";

    public const string Scope = "https://api.botframework.com/.default";

    // Refreshing a little early keeps a token from expiring between here and the Connector.
    private static readonly TimeSpan EarlyRefresh = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim gate = new(1, 1);

    // One immutable object, read and replaced as a whole (a reference is read and written atomically): a reader
    // never sees a new token with an old expiry, which a struct tuple of two fields could tear into.
    private CachedToken? cached;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref cached) is { } hit && clock.GetUtcNow() < hit.RefreshAt)
            return hit.Token;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref cached) is { } again && clock.GetUtcNow() < again.RefreshAt)
                return again.Token;
            var settings = options.Value;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = settings.AppId!,
                ["client_secret"] = settings.AppPassword!,
                ["scope"] = Scope,
            });
            // A token request changes nothing but the token handed out, so the short retries may repeat it:
            // without them, one blip at the token endpoint would fail every message waiting for a token.
            using var request = IdempotentRequest.Mark(new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpointUri) { Content = form });
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new BotTokenException((int)response.StatusCode);
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
            if (token?.AccessToken is not { Length: > 0 } accessToken)
                throw new BotTokenException((int)response.StatusCode);
            var lifetime = TimeSpan.FromSeconds(Math.Max(0, token.ExpiresIn));
            Volatile.Write(ref cached, new CachedToken(accessToken, clock.GetUtcNow() + (lifetime > EarlyRefresh * 2 ? lifetime - EarlyRefresh : lifetime / 2)));
            return accessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Forgets <paramref name="token"/> because the Connector refused it (401: revoked, or rotated before it expired), so
    /// the next call fetches a new one. A newer token cached meanwhile by another caller is kept.
    /// </summary>
    public void Invalidate(string token)
    {
        if (Volatile.Read(ref cached) is { } current && current.Token == token)
            Interlocked.CompareExchange(ref cached, null, current);
    }

    public void Dispose() => gate.Dispose();

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);

    private sealed record TokenResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; init; }

        [JsonPropertyName("expires_in")]
        public long ExpiresIn { get; init; }
    }
}

/// <summary>The token endpoint refused: 400/401 mean a wrong app id or secret, which retrying will not fix.</summary>
internal sealed class BotTokenException(int status) : Exception($"token endpoint answered {status}")
{
    public int Status { get; } = status;

    public bool IsPermanent => Status is 400 or 401 or 403;
}
