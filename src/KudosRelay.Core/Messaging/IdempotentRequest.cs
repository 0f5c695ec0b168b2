namespace KudosRelay.Core.Messaging;

/// <summary>
/// Which outbound requests the short retries in the HTTP pipeline may repeat. Safe and idempotent methods
/// (RFC 9110 §9.2.2) always; a <c>POST</c> only when the adapter marks it, because it changes nothing on
/// the platform (a read that the API takes as a POST, a token request). A post that delivers a message is
/// never marked: the outbox retries it under its own idempotency key.
/// </summary>
public static class IdempotentRequest
{
    private static readonly HttpRequestOptionsKey<bool> Key = new("KudosRelay.IdempotentRequest");

    /// <summary>Marks <paramref name="request"/> as safe to send twice and returns it.</summary>
    public static HttpRequestMessage Mark(HttpRequestMessage request)
    {
        request.Options.Set(Key, true);
        return request;
    }

    public static bool Is(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Put
        || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Options || request.Method == HttpMethod.Trace
        || request.Options.TryGetValue(Key, out var marked) && marked;
}
