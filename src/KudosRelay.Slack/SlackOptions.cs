using Microsoft.Extensions.Options;

namespace KudosRelay.Slack;

/// <summary>The <c>Slack:*</c> configuration section. Slack is switched on when any of its keys is set.</summary>
internal sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>Signs every request Slack sends us (app settings → Basic Information → Signing Secret).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The bot user OAuth token, <c>xoxb-…</c>.</summary>
    public string? BotToken { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Requests larger than this are refused with 413 before their signature is checked.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary><c>Slack:Pacing:*</c>: whether deliveries keep to Slack's rate limits.</summary>
    public SlackPacingOptions Pacing { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(SigningSecret))
            yield return "Slack:SigningSecret is required when Slack is configured (Basic Information → Signing Secret of the Slack app).";
        if (string.IsNullOrWhiteSpace(BotToken))
            yield return "Slack:BotToken is required when Slack is configured (the bot token, xoxb-…).";
        if (!ApiBaseUrl.IsAbsoluteUri || (ApiBaseUrl.Scheme != Uri.UriSchemeHttps && ApiBaseUrl.Scheme != Uri.UriSchemeHttp))
            yield return $"Slack:ApiBaseUrl must be an absolute http(s) URL, not '{ApiBaseUrl}'.";
        else if (!ApiBaseUrl.AbsolutePath.EndsWith('/'))
            yield return $"Slack:ApiBaseUrl must end with '/', for example https://slack.com/api/ (got '{ApiBaseUrl}').";
        if (MaxRequestBytes is < 1024 or > 16 * 1024 * 1024)
            yield return $"Slack:MaxRequestBytes must be between 1024 and 16777216, not {MaxRequestBytes}.";
    }

    internal sealed class Validator : IValidateOptions<SlackOptions>
    {
        public ValidateOptionsResult Validate(string? name, SlackOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary><c>Slack:Pacing:*</c>.</summary>
internal sealed class SlackPacingOptions
{
    /// <summary>
    /// Deliveries keep to Slack's per-channel and per-method limits, shared by every instance. Switch it off only for
    /// a stand-in Slack that has no limits (a benchmark of the outbox itself).
    /// </summary>
    public bool Enabled { get; set; } = true;
}
