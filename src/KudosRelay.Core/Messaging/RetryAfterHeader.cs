namespace KudosRelay.Core.Messaging;

/// <summary>
/// The one reader of <c>Retry-After</c> (RFC 9110 §10.2.3) for every outbound call: the short retries
/// in the HTTP pipeline and the adapters that hand a wait to the outbox read the same number.
/// </summary>
public static class RetryAfterHeader
{
    /// <summary>
    /// How long the server asked us to wait, measured from <paramref name="clock"/>'s now; null when it
    /// did not say. A date in the past means "now" (zero), never a negative wait.
    /// </summary>
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider clock) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta > TimeSpan.Zero ? delta : TimeSpan.Zero,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
