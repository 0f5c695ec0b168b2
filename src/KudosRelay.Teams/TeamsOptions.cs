using KudosRelay.Teams.Connector;

namespace KudosRelay.Teams;

/// <summary>
/// <c>Teams:*</c>. Nothing about Teams is registered unless <see cref="AppId"/> is set.
/// See <c>bot-framework-rest-connector-authentication.md</c> for what each value is checked against.
/// </summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    public const string BotFrameworkOpenIdMetadata = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The Azure AD app id of the bot: the audience of inbound tokens and the client id of outbound ones.</summary>
    public string? AppId { get; set; }

    public string? AppPassword { get; set; }

    /// <summary>Set for a single-tenant bot: outbound tokens are then issued by this tenant.</summary>
    public string? TenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = BotFrameworkOpenIdMetadata;

    public string? TokenEndpoint { get; set; }

    public IList<string> AllowedTenants { get; } = [];

    /// <summary>Service URL prefixes that may receive the bot token besides those learned from verified activities.</summary>
    public IList<string> AllowedServiceUrls { get; } = [];

    /// <summary>Teams' rate budgets the sender keeps to (<c>Teams:Pacing:*</c>).</summary>
    public TeamsPacingOptions Pacing { get; set; } = new();

    /// <summary>The token endpoint: the override, else the tenant's (single-tenant) or Bot Framework's (multi-tenant).</summary>
    public Uri TokenEndpointUri => new(TokenEndpoint is { Length: > 0 } endpoint
        ? endpoint
        : $"https://login.microsoftonline.com/{(TenantId is { Length: > 0 } tenant ? tenant : "botframework.com")}/oauth2/v2.0/token");

    public static bool IsConfigured(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(AppId)}"]);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(AppId))
            yield return "Teams:AppId is required when Teams is configured.";
        if (string.IsNullOrWhiteSpace(AppPassword))
            yield return "Teams:AppPassword is required when Teams:AppId is set.";
        if (!IsAbsoluteHttp(OpenIdMetadataUrl))
            yield return $"Teams:OpenIdMetadataUrl must be an absolute http(s) URL (got '{OpenIdMetadataUrl}').";
        if (TokenEndpoint is { Length: > 0 } && !IsAbsoluteHttp(TokenEndpoint))
            yield return $"Teams:TokenEndpoint must be an absolute http(s) URL (got '{TokenEndpoint}').";
        foreach (var prefix in AllowedServiceUrls.Where(prefix => !IsAbsoluteHttp(prefix)))
            yield return $"Teams:AllowedServiceUrls entries must be absolute http(s) URLs (got '{prefix}').";
        foreach (var problem in Pacing.Validate())
            yield return problem;
    }

    private static bool IsAbsoluteHttp(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
