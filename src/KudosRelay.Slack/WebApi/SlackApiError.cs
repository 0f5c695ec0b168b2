namespace KudosRelay.Slack.WebApi;

/// <summary>
/// A Slack Web API call that did not succeed: <c>ok:false</c> with Slack's error code, an HTTP 429,
/// or a server failure left over after the short retries. <see cref="IsTransient"/> decides whether
/// the outbox tries again later or dead-letters with <see cref="Error"/>.
/// </summary>
internal sealed class SlackApiException(string method, string error, bool isTransient, TimeSpan? retryAfter = null)
    : Exception($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;

    /// <summary>Slack's error code (<c>channel_not_found</c>, <c>ratelimited</c>) or <c>http_503</c> for a bare HTTP failure.</summary>
    public string Error { get; } = error;

    public bool IsTransient { get; } = isTransient;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Which of Slack's error codes are worth retrying. Anything not listed as transient is permanent.</summary>
internal static class SlackApiErrors
{
    /// <summary>Ours: the client's own rate limiter would have to wait too long, so Slack was not asked.</summary>
    public const string RateLimitedLocally = "rate_limited_locally";

    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "service_unavailable",
        "fatal_error",
        "request_timeout",
        "team_added_to_org",
        "message_limit_exceeded",
        RateLimitedLocally,
        // Ours, not Slack's: the call never got an answer (see SlackWebApiClient.SendThroughPipelineAsync).
        "circuit_open",
        "timeout",
        "connection_failed",
    };

    /// <summary>Documented for the record: these never succeed on retry, the message is dead-lettered.</summary>
    internal static readonly IReadOnlySet<string> KnownPermanent = new HashSet<string>(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "account_inactive", "invalid_auth", "not_authed", "token_revoked",
        "token_expired", "is_archived", "msg_too_long", "no_text", "invalid_blocks", "invalid_blocks_format",
        "too_many_attachments", "restricted_action", "missing_scope", "user_not_found", "users_not_found",
        "cant_update_message", "message_not_found", "edit_window_closed", "invalid_arguments", "org_login_required",
        "ekm_access_denied", "team_access_not_granted", "not_allowed_token_type", "app_missing_action_url",
    };

    public static bool IsTransient(string error) => Transient.Contains(error);
}
