using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using KudosRelay.Core.Messaging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace KudosRelay.Slack.WebApi;

/// <summary>
/// The Slack Web API calls KudosRelay makes, one method per Slack method and named after it. Every
/// call carries the bot token as a bearer header, waits for the client-side rate limiter, and turns
/// <c>ok:false</c>, 429, server failures and an open circuit into a <see cref="SlackApiException"/> that
/// says whether a retry can help. Short retries happen below, in the host's resilience pipeline, and only
/// for the calls marked <see cref="IdempotentRequest"/> here (reads, and <c>conversations.open</c>, which
/// finds the same conversation every time); a post is never repeated there. It holds no <see cref="HttpClient"/>: each
/// call takes one from <see cref="IHttpClientFactory"/>, whose handlers are recycled, so a change of Slack's DNS is seen
/// by a long-lived sender too.
/// </summary>
internal sealed class SlackWebApiClient(IHttpClientFactory httpClients, IOptions<SlackOptions> options, SlackRateLimiter limiter, TimeProvider clock)
{
    public const string HttpClientName = "slack";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly SlackOptions settings = options.Value;

    /// <summary>The Slack message metadata type every post carries, with the outbox message's id in its payload.</summary>
    public const string OutboxMetadataType = "kudosrelay_outbox";

    /// <summary>
    /// Posts a message carrying <paramref name="outboxId"/> in its <c>metadata</c>, so that after an unknown outcome the
    /// post can be found in the channel's history (<see cref="ConversationsHistoryAsync"/>) instead of being sent twice.
    /// </summary>
    public async Task<PostedMessage> ChatPostMessageAsync(string channel, string text, JsonArray blocks, long? outboxId, CancellationToken cancellationToken)
    {
        var body = WithBlocks(new JsonObject { ["channel"] = channel, ["text"] = text }, blocks);
        if (outboxId is { } id)
            body["metadata"] = new JsonObject
            {
                ["event_type"] = OutboxMetadataType,
                ["event_payload"] = new JsonObject { ["outbox_id"] = id.ToString(CultureInfo.InvariantCulture) },
            };
        var reply = await PostJsonAsync("chat.postMessage", body, cancellationToken);
        return new PostedMessage(reply.GetString("channel") ?? channel, reply.GetString("ts") ?? "");
    }

    /// <summary>
    /// The channel's most recent messages (up to <paramref name="limit"/>) with their metadata
    /// (<c>include_all_metadata</c>): the ts of the one that carries <paramref name="outboxId"/>, or null.
    /// </summary>
    public async Task<string?> ConversationsHistoryAsync(string channel, long outboxId, int limit, CancellationToken cancellationToken)
    {
        var reply = await PostFormAsync("conversations.history",
            [new("channel", channel), new("limit", limit.ToString(CultureInfo.InvariantCulture)), new("include_all_metadata", "true")], cancellationToken);
        var wanted = outboxId.ToString(CultureInfo.InvariantCulture);
        foreach (var message in reply.Root["messages"]?.AsArray() ?? [])
        {
            var metadata = message?["metadata"];
            if (metadata?["event_type"]?.GetValueKind() == JsonValueKind.String && metadata["event_type"]!.GetValue<string>() == OutboxMetadataType
                && metadata["event_payload"]?["outbox_id"]?.GetValueKind() == JsonValueKind.String
                && metadata["event_payload"]!["outbox_id"]!.GetValue<string>() == wanted
                && message!["ts"]?.GetValueKind() == JsonValueKind.String)
                return message["ts"]!.GetValue<string>();
        }
        return null;
    }

    public async Task<PostedMessage> ChatUpdateAsync(string channel, string ts, string text, JsonArray blocks, CancellationToken cancellationToken)
    {
        var reply = await PostJsonAsync("chat.update", WithBlocks(new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text }, blocks), cancellationToken);
        return new PostedMessage(reply.GetString("channel") ?? channel, reply.GetString("ts") ?? ts);
    }

    public async Task ChatPostEphemeralAsync(string channel, string user, string text, JsonArray blocks, CancellationToken cancellationToken) =>
        await PostJsonAsync("chat.postEphemeral", WithBlocks(new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text }, blocks), cancellationToken);

    /// <summary>Opens (or finds) the direct conversation with one user and returns its channel id.</summary>
    public async Task<string> ConversationsOpenAsync(string user, CancellationToken cancellationToken)
    {
        var reply = await PostJsonAsync("conversations.open", new JsonObject { ["users"] = user }, cancellationToken, idempotent: true);
        return reply.Root["channel"]?["id"]?.GetValue<string>() ?? throw new SlackApiException("conversations.open", "invalid_response", isTransient: false);
    }

    /// <summary>The user with this e-mail, or null when Slack knows none (<c>users_not_found</c>).</summary>
    public async Task<SlackUser?> UsersLookupByEmailAsync(string email, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await PostFormAsync("users.lookupByEmail", [new("email", email)], cancellationToken);
            return reply.Root["user"]?.Deserialize<SlackUser>(Json);
        }
        catch (SlackApiException exception) when (exception.Error == "users_not_found")
        {
            return null;
        }
    }

    public async Task<SlackUser?> UsersInfoAsync(string user, CancellationToken cancellationToken)
    {
        var reply = await PostFormAsync("users.info", [new("user", user)], cancellationToken);
        return reply.Root["user"]?.Deserialize<SlackUser>(Json);
    }

    public async Task ViewsOpenAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        await PostJsonAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view.DeepClone() }, cancellationToken);

    public async Task ViewsPublishAsync(string userId, JsonObject view, CancellationToken cancellationToken) =>
        await PostJsonAsync("views.publish", new JsonObject { ["user_id"] = userId, ["view"] = view.DeepClone() }, cancellationToken);

    public async Task<BotIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        var reply = await PostJsonAsync("auth.test", new JsonObject(), cancellationToken, idempotent: true);
        return new BotIdentity(reply.GetString("team_id") ?? "", reply.GetString("team") ?? "", reply.GetString("user_id") ?? "", reply.GetString("bot_id"));
    }

    /// <summary>Posts to a <c>response_url</c> Slack gave us with a command or an interaction (no token: the URL is the credential).</summary>
    public async Task PostToResponseUrlAsync(Uri responseUrl, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = JsonBody(body) };
        using var response = await SendThroughPipelineAsync("response_url", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new SlackApiException("response_url", $"http_{(int)response.StatusCode}", IsTransientStatus(response.StatusCode), RetryAfterHeader.Of(response, clock));
    }

    /// <summary>Slack refuses an empty <c>blocks</c> array; a message without blocks is sent as text alone.</summary>
    private static JsonObject WithBlocks(JsonObject body, JsonArray blocks)
    {
        if (blocks.Count > 0)
            body["blocks"] = blocks.DeepClone();
        return body;
    }

    /// <summary>
    /// Serialised before sending, so the request carries a Content-Length: streamed JSON goes out chunked, which
    /// some servers and proxies on the way refuse or misread (a reply then never comes and the connection is lost).
    /// </summary>
    private static ByteArrayContent JsonBody(JsonObject body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<SlackReply> PostJsonAsync(string method, JsonObject body, CancellationToken cancellationToken, bool idempotent = false)
    {
        await WaitForRateLimitAsync(method, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiBaseUrl, method))
        {
            Content = JsonBody(body),
        };
        if (idempotent)
            IdempotentRequest.Mark(request);
        return await SendAsync(method, request, cancellationToken);
    }

    /// <summary>
    /// Form-encoded, as the spec declares for the read methods; a POST body rather than a query string so
    /// that an e-mail address never appears in a URL (proxies and request logs keep URLs). Reads change
    /// nothing, so they are marked safe to repeat.
    /// </summary>
    private async Task<SlackReply> PostFormAsync(string method, KeyValuePair<string, string>[] fields, CancellationToken cancellationToken)
    {
        await WaitForRateLimitAsync(method, cancellationToken);
        using var request = IdempotentRequest.Mark(new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiBaseUrl, method))
        {
            Content = new FormUrlEncodedContent(fields),
        });
        return await SendAsync(method, request, cancellationToken);
    }

    private async Task WaitForRateLimitAsync(string method, CancellationToken cancellationToken)
    {
        if (await limiter.WaitAsync(method, cancellationToken) is { } tooLong)
            throw new SlackApiException(method, SlackApiErrors.RateLimitedLocally, isTransient: true, tooLong);
    }

    private async Task<SlackReply> SendAsync(string method, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.BotToken);
        using var response = await SendThroughPipelineAsync(method, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new SlackApiException(method, "ratelimited", isTransient: true, RetryAfterHeader.Of(response, clock) ?? TimeSpan.FromSeconds(30));
        if (!response.IsSuccessStatusCode)
            throw new SlackApiException(method, $"http_{(int)response.StatusCode}", IsTransientStatus(response.StatusCode), RetryAfterHeader.Of(response, clock));

        JsonObject? root;
        try
        {
            root = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken);
        }
        catch (JsonException)
        {
            throw new SlackApiException(method, "invalid_response", isTransient: true);
        }
        if (root is null)
            throw new SlackApiException(method, "invalid_response", isTransient: true);
        if (root["ok"]?.GetValueKind() == JsonValueKind.True)
            return new SlackReply(root);

        var error = root["error"]?.GetValueKind() == JsonValueKind.String ? root["error"]!.GetValue<string>() : "unknown_error";
        throw new SlackApiException(method, error, SlackApiErrors.IsTransient(error), RetryAfterHeader.Of(response, clock));
    }

    /// <summary>
    /// Sends through the resilience pipeline. An open circuit (Slack has been failing: wait out the break),
    /// a timed-out attempt or no connection at all is transient: the outbox tries again later.
    /// </summary>
    private async Task<HttpResponseMessage> SendThroughPipelineAsync(string method, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (BrokenCircuitException exception)
        {
            throw new SlackApiException(method, "circuit_open", isTransient: true, exception.RetryAfter);
        }
        catch (TimeoutRejectedException)
        {
            throw new SlackApiException(method, "timeout", isTransient: true);
        }
        catch (HttpRequestException)
        {
            throw new SlackApiException(method, "connection_failed", isTransient: true);
        }
    }

    private static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private readonly record struct SlackReply(JsonObject Root)
    {
        public string? GetString(string name) => Root[name]?.GetValueKind() == JsonValueKind.String ? Root[name]!.GetValue<string>() : null;
    }
}

internal sealed record PostedMessage(string Channel, string Ts)
{
    /// <summary>What the outbox stores to update this message later: <c>C123:1700000000.000100</c>.</summary>
    public string MessageRef => string.Create(CultureInfo.InvariantCulture, $"{Channel}:{Ts}");

    public static bool TryParse(string? messageRef, out PostedMessage message)
    {
        var colon = messageRef?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        message = colon > 0 && colon < messageRef!.Length - 1 ? new PostedMessage(messageRef[..colon], messageRef[(colon + 1)..]) : new PostedMessage("", "");
        return colon > 0 && colon < messageRef!.Length - 1;
    }
}

internal sealed record SlackUser(string Id, string? TeamId, string? Name, string? RealName, bool Deleted, bool IsBot);

internal sealed record BotIdentity(string TeamId, string Team, string UserId, string? BotId);
