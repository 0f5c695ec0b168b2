using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KudosRelay.Core.Messaging;
using KudosRelay.Teams.Inbound;
using Microsoft.Extensions.Options;

namespace KudosRelay.Teams.Connector;

/// <summary>
/// The Bot Connector calls the bot makes (<c>botframework-channel.swagger.json</c>):
/// <c>CreateConversation</c>, <c>SendToConversation</c>, <c>UpdateActivity</c> and
/// <c>GetConversationMember</c>. The bearer
/// token goes only to a trusted service URL (see <see cref="IsTrusted"/>). By HTTP method, the host's
/// short retries repeat the <c>GET</c> and <c>PUT</c> and never a <c>POST</c>: a send or a new
/// conversation is retried by the outbox.
/// </summary>
internal sealed class ConnectorClient(IHttpClientFactory httpClients, BotTokenProvider tokens, IOptions<TeamsOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "teams-connector";

    /// <summary>POST /v3/conversations: opens (or finds) the 1:1 conversation with one member.</summary>
    public Task<ConnectorResult<ConversationResourceResponse>> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        SendAsync<ConversationResourceResponse>(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, cancellationToken);

    /// <summary>POST /v3/conversations/{conversationId}/activities.</summary>
    public Task<ConnectorResult<ResourceResponse>> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", activity, cancellationToken);

    /// <summary>PUT /v3/conversations/{conversationId}/activities/{activityId}.</summary>
    public Task<ConnectorResult<ResourceResponse>> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync<ResourceResponse>(HttpMethod.Put, serviceUrl,
            $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}", activity, cancellationToken);

    /// <summary>GET /v3/conversations/{conversationId}/members/{memberId}: one member, with the Azure AD object id Teams adds.</summary>
    public Task<ConnectorResult<ChannelAccount>> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken) =>
        SendAsync<ChannelAccount>(HttpMethod.Get, serviceUrl,
            $"v3/conversations/{Uri.EscapeDataString(conversationId)}/members/{Uri.EscapeDataString(memberId)}", null, cancellationToken);

    /// <summary>
    /// Service URLs come from verified activities (stored in <c>teams_conversations</c>); as a second
    /// line, plain http is refused unless an operator listed the prefix in <c>Teams:AllowedServiceUrls</c>.
    /// </summary>
    public bool IsTrusted(string serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri)
        && (options.Value.AllowedServiceUrls.Any(prefix => serviceUrl.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            || uri.Scheme == Uri.UriSchemeHttps);

    private async Task<ConnectorResult<T>> SendAsync<T>(HttpMethod method, string serviceUrl, string path, object? body, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsTrusted(serviceUrl))
            return ConnectorResult<T>.Failed(HttpStatusCode.Forbidden, "service URL is not trusted");
        var uri = new Uri(new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/"), path);
        // Serialised up front so the request carries a Content-Length rather than a chunked body, and can be sent again.
        var bytes = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ActivityJson.Options);
        var client = httpClients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        for (var attempt = 1; ; attempt++)
        {
            var token = await tokens.GetTokenAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, uri);
            if (bytes is not null)
            {
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            response = await client.SendAsync(request, cancellationToken);
            // 401: the Connector no longer takes the cached token (revoked or rotated early). A 401 is answered before
            // anything is done, so one retry with a fresh token cannot repeat a post; a second 401 is a real refusal.
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 1)
                break;
            response.Dispose();
            tokens.Invalidate(token);
        }
        using var _ = response;
        if (!response.IsSuccessStatusCode)
            return ConnectorResult<T>.Failed(response.StatusCode, $"connector answered {(int)response.StatusCode}", RetryAfterHeader.Of(response, clock));
        T? value = null;
        if (response.Content.Headers.ContentLength is not 0)
        {
            try
            {
                value = await response.Content.ReadFromJsonAsync<T>(ActivityJson.Options, cancellationToken);
            }
            catch (JsonException)
            {
                value = null;
            }
        }
        return new ConnectorResult<T>(response.StatusCode, value, null, null);
    }
}

internal sealed record ConnectorResult<T>(HttpStatusCode Status, T? Value, string? Error, TimeSpan? RetryAfter)
    where T : class
{
    public bool Ok => Error is null;

    public static ConnectorResult<T> Failed(HttpStatusCode status, string error, TimeSpan? retryAfter = null) => new(status, null, error, retryAfter);
}

/// <summary>ConversationParameters in the Connector swagger.</summary>
internal sealed record ConversationParameters
{
    public bool IsGroup { get; init; }
    public ChannelAccount? Bot { get; init; }
    public IReadOnlyList<ChannelAccount>? Members { get; init; }
    public string? TenantId { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
}

/// <summary>ConversationResourceResponse in the Connector swagger.</summary>
internal sealed record ConversationResourceResponse
{
    public string? Id { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ActivityId { get; init; }
}

/// <summary>ResourceResponse in the Connector swagger.</summary>
internal sealed record ResourceResponse
{
    public string? Id { get; init; }
}
