using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KudosRelay.Teams.Inbound;

/// <summary>
/// Checks the <c>Authorization</c> header of an activity from the Bot Connector, following
/// "Connector to bot" in <c>bot-framework-rest-connector-authentication.md</c>: RS256 by a key from
/// the OpenID metadata, issuer <c>https://api.botframework.com</c>, audience the bot's app id,
/// lifetime with 5 minutes' skew, the key endorsed for the activity's channel, and the
/// <c>serviceurl</c> claim equal to the activity's service URL. A token that passed is remembered
/// (<see cref="ValidatedTokenCache"/>) so the signature of a reused token is checked once.
/// </summary>
internal sealed class BotTokenValidator(SigningKeys signingKeys, IOptions<TeamsOptions> options, TimeProvider clock)
{
    public const string Issuer = "https://api.botframework.com";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly ValidatedTokenCache cache = new(clock);

    /// <summary>How many verified tokens are remembered (for tests of what may and may not enter the cache).</summary>
    internal int CachedTokens => cache.Count;

    /// <summary>The first step: the header names a token whose signature, issuer, audience and lifetime are good.</summary>
    public async Task<ValidatedToken?> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string Bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return null;
        var raw = authorization[Bearer.Length..].Trim();
        if (cache.Find(raw) is { } cached)
        {
            // Same key object as when it verified: no refresh since has dropped or replaced its kid.
            if (ReferenceEquals(await signingKeys.FindAsync(cached.Kid, cancellationToken), cached.Key))
                return cached.Token;
            cache.Forget(raw, cached);
        }
        if (!handler.CanReadToken(raw))
            return null;
        JsonWebToken token;
        try
        {
            token = handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (token.Alg != SecurityAlgorithms.RsaSha256 || token.Kid is not { Length: > 0 } kid)
            return null;
        var key = await signingKeys.FindAsync(kid, cancellationToken);
        if (key is null)
            return null;

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = options.Value.AppId,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKey = key.Key,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            // The library reads DateTime.UtcNow by default; the host's clock keeps tests honest.
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires),
        };
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
            return null;
        var validated = new ValidatedToken(key.Endorsements, result.ClaimsIdentity.FindFirst("serviceurl")?.Value);
        cache.Add(raw, validated, kid, key, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
        return validated;
    }

    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return expires is { } exp && now <= exp.ToUniversalTime() + ClockSkew
            && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - ClockSkew);
    }
}

/// <summary>A token whose signature and standard claims checked out; the activity checks follow in <see cref="Matches"/>.</summary>
internal sealed record ValidatedToken(IReadOnlySet<string> Endorsements, string? ServiceUrl)
{
    /// <summary>The second step, once the body is read: the key is endorsed for the channel and the service URL is the token's.</summary>
    public bool Matches(string? channelId, string? serviceUrl) =>
        channelId is { Length: > 0 } && Endorsements.Contains(channelId)
        && serviceUrl is { Length: > 0 } && ServiceUrl is { Length: > 0 }
        && string.Equals(Normalize(ServiceUrl), Normalize(serviceUrl), StringComparison.OrdinalIgnoreCase);

    // Teams sends service URLs with and without the trailing slash in different places.
    private static string Normalize(string url) => url.TrimEnd('/');
}
