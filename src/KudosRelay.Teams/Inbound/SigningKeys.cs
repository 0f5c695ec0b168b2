using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Polly;

namespace KudosRelay.Teams.Inbound;

/// <summary>A signing key from the Bot Framework JWKS with the channel ids it is endorsed for.</summary>
internal sealed record EndorsedKey(SecurityKey Key, IReadOnlySet<string> Endorsements);

/// <summary>
/// The Bot Framework signing keys, found through the OpenID metadata document and cached. Refreshed
/// daily (the auth spec asks for at least every 24 hours) and when a token names a key we do not
/// know, at most once a minute so that forged <c>kid</c>s cannot make us hammer the metadata server.
/// </summary>
internal sealed partial class SigningKeys(IHttpClientFactory httpClients, IOptions<TeamsOptions> options, TimeProvider clock, ILogger<SigningKeys> logger) : IDisposable
{
    public const string HttpClientName = "teams-openid";

    private static readonly TimeSpan RefreshEvery = TimeSpan.FromHours(24);
    private static readonly TimeSpan UnknownKidCooldown = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim refreshing = new(1, 1);
    private volatile Snapshot current = new(FrozenDictionary<string, EndorsedKey>.Empty, DateTimeOffset.MinValue);

    private sealed record Snapshot(FrozenDictionary<string, EndorsedKey> Keys, DateTimeOffset FetchedAt);

    public async ValueTask<EndorsedKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var snapshot = current;
        var now = clock.GetUtcNow();
        if (now - snapshot.FetchedAt >= RefreshEvery)
            snapshot = await RefreshAsync(snapshot, cancellationToken);
        if (snapshot.Keys.TryGetValue(kid, out var key))
            return key;
        if (now - snapshot.FetchedAt >= UnknownKidCooldown)
        {
            snapshot = await RefreshAsync(snapshot, cancellationToken);
            return snapshot.Keys.GetValueOrDefault(kid);
        }
        return null;
    }

    private async Task<Snapshot> RefreshAsync(Snapshot seen, CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(current, seen))
                return current; // someone else refreshed while we waited
            try
            {
                var client = httpClients.CreateClient(HttpClientName);
                using var metadata = JsonDocument.Parse(await client.GetStringAsync(options.Value.OpenIdMetadataUrl, cancellationToken));
                var jwksUri = metadata.RootElement.GetProperty("jwks_uri").GetString()
                    ?? throw new InvalidDataException("jwks_uri is missing");
                var keys = Parse(await client.GetStringAsync(jwksUri, cancellationToken));
                current = new Snapshot(keys, clock.GetUtcNow());
                LogRefreshed(logger, keys.Count);
            }
            // ExecutionRejectedException: the host's pipeline gave up on the key server (an open circuit, a timed-out attempt).
            catch (Exception exception) when (exception is HttpRequestException or JsonException or InvalidDataException or KeyNotFoundException or ExecutionRejectedException
                or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Keep the keys we had; try again after the cooldown rather than on every request.
                LogRefreshFailed(logger, exception.GetType().Name);
                current = current with { FetchedAt = clock.GetUtcNow() - RefreshEvery + UnknownKidCooldown };
            }
            return current;
        }
        finally
        {
            refreshing.Release();
        }
    }

    public void Dispose() => refreshing.Dispose();

    /// <summary>Reads the JWKS; <c>endorsements</c> is a Bot Framework extension to RFC 7517.</summary>
    internal static FrozenDictionary<string, EndorsedKey> Parse(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        var keys = new Dictionary<string, EndorsedKey>(StringComparer.Ordinal);
        foreach (var element in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            var key = new JsonWebKey(element.GetRawText());
            if (key.Kid is not { Length: > 0 } kid || key.Kty != JsonWebAlgorithmsKeyTypes.RSA)
                continue;
            var endorsements = element.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.GetString()).OfType<string>().ToFrozenSet(StringComparer.Ordinal)
                : FrozenSet<string>.Empty;
            keys[kid] = new EndorsedKey(key, endorsements);
        }
        return keys.ToFrozenDictionary(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot Framework signing keys refreshed: {Count} keys")]
    private static partial void LogRefreshed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework signing keys could not be refreshed: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
