using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KudosRelay.Host.Tests.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>One call the fake Slack received.</summary>
internal sealed record SlackCall(string Method, string HttpMethod, string? Authorization, string? ContentType, string Query, string Body, long? ContentLength = null)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

/// <summary>What the fake answers: a status, an optional Retry-After and a JSON body.</summary>
internal sealed record FakeReply(int Status, string Body, int? RetryAfterSeconds = null)
{
    public static FakeReply Ok(string extraJson = "") => new(200, "{\"ok\":true" + (extraJson.Length > 0 ? "," + extraJson : "") + "}");

    public static FakeReply Error(string error) => new(200, $"{{\"ok\":false,\"error\":\"{error}\"}}");

    public static FakeReply RateLimited(int seconds) => new(429, "{\"ok\":false,\"error\":\"ratelimited\"}", seconds);
}

/// <summary>
/// A fake Slack Web API: a real HTTP server on 127.0.0.1 that records every call and answers from a
/// per-method script, falling back to plausible successes. <c>/api/{method}</c> is the Web API,
/// <c>/hooks/…</c> stands in for response URLs.
/// </summary>
internal sealed class FakeSlackApi : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<SlackCall> calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeReply>> scripts = new();

    /// <summary>Completed, and replaced, on every call: waiters wake when something arrives instead of polling.</summary>
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeSlackApi(WebApplication app) => this.app = app;

    public IReadOnlyList<SlackCall> Calls => [.. calls];

    public string BaseUrl => app.Urls.First() + "/api/";

    public string HooksUrl => app.Urls.First() + "/hooks/";

    public string AuthTestTeam { get; set; } = "T111";

    /// <summary>Messages posted so far, as <c>conversations.history</c> shows them: channel, ts and metadata.</summary>
    private readonly ConcurrentQueue<(string Channel, string Ts, JsonNode? Metadata)> posts = new();

    private TaskCompletionSource? stallNextPost;

    private (SlidingWindowLimit Limit, TimeProvider Clock)? postLimit;
    private int rateLimited;

    /// <summary>How many calls were answered 429 by <see cref="LimitPostsPerChannel"/>.</summary>
    public int RateLimitedCount => Volatile.Read(ref rateLimited);

    /// <summary>
    /// From now on <c>chat.postMessage</c> keeps Slack's per-channel limit, "one message per second, short bursts
    /// allowed", read on <paramref name="clock"/>: in any window of n seconds a channel takes at most n + 2 posts
    /// (a burst of three). A post over it is answered 429 with <c>Retry-After: 1</c>, and not posted.
    /// </summary>
    public void LimitPostsPerChannel(TimeProvider clock) =>
        postLimit = (new SlidingWindowLimit([.. Enumerable.Range(1, 60).Select(n => (n + 2, TimeSpan.FromSeconds(n)))]), clock);

    /// <summary>
    /// The next <c>chat.postMessage</c> is posted at once but answered only when the returned source completes: a
    /// Slack slower than the bot's time-out, whose post the bot never hears about.
    /// </summary>
    public TaskCompletionSource StallNextPost() =>
        stallNextPost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeSlackApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlackApi(app);
        app.Map("/api/{method}", (string method, HttpContext context) => fake.AnswerAsync(method, context));
        app.Map("/hooks/{**rest}", (HttpContext context) => fake.AnswerAsync("response_url", context));
        await app.StartAsync();
        return fake;
    }

    /// <summary>The next calls to <paramref name="method"/> get these replies, in order; then the default.</summary>
    public void Script(string method, params FakeReply[] replies)
    {
        var queue = scripts.GetOrAdd(method, _ => new ConcurrentQueue<FakeReply>());
        foreach (var reply in replies)
            queue.Enqueue(reply);
    }

    public IReadOnlyList<SlackCall> CallsTo(string method) => [.. calls.Where(c => c.Method == method)];

    /// <summary>The calls to <paramref name="method"/> once there are <paramref name="count"/>; the time limit only fails a test that would otherwise hang.</summary>
    public async Task<IReadOnlyList<SlackCall>> WaitForAsync(string method, int count = 1)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var next = Volatile.Read(ref arrived).Task;
            var matching = CallsTo(method);
            if (matching.Count >= count)
                return matching;
            try
            {
                await next.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"fake Slack saw {CallsTo(method).Count} calls to {method}, wanted {count}; saw: {string.Join(", ", calls.Select(c => c.Method))}");
            }
        }
    }

    private async Task AnswerAsync(string method, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        calls.Enqueue(new SlackCall(method, context.Request.Method, context.Request.Headers.Authorization.ToString(),
            context.Request.ContentType, context.Request.QueryString.Value ?? "", body, context.Request.ContentLength));
        Interlocked.Exchange(ref arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        var reply = scripts.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted) ? scripted : Default(method, body);
        if (method == "chat.postMessage" && postLimit is var (limit, clock)
            && !limit.TryTake((string?)JsonNode.Parse(body)?["channel"] ?? "", clock.GetUtcNow()))
        {
            Interlocked.Increment(ref rateLimited);
            reply = FakeReply.RateLimited(1);
        }
        if (method == "chat.postMessage" && reply.Status == 200 && JsonNode.Parse(reply.Body)?["ts"] is { } ts)
        {
            var request = JsonNode.Parse(body);
            posts.Enqueue(((string?)request?["channel"] ?? "", (string)ts!, request?["metadata"]?.DeepClone()));
            if (Interlocked.Exchange(ref stallNextPost, null) is { } stall)
                await stall.Task;
        }
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }

    private FakeReply Default(string method, string body) => method switch
    {
        "auth.test" => FakeReply.Ok($"\"url\":\"https://example.slack.com/\",\"team\":\"Example\",\"user\":\"kudosrelay\",\"team_id\":\"{AuthTestTeam}\",\"user_id\":\"UBOT\",\"bot_id\":\"BBOT\""),
        "chat.postMessage" or "chat.update" => FakeReply.Ok($"\"channel\":\"{(string?)JsonNode.Parse(body)?["channel"]}\",\"ts\":\"1700000000.{calls.Count:D6}\""),
        "conversations.open" => FakeReply.Ok("\"channel\":{\"id\":\"D0DIRECT\"}"),
        "users.lookupByEmail" => FakeReply.Ok("\"user\":{\"id\":\"U0ANA\",\"team_id\":\"T111\",\"name\":\"ana\",\"deleted\":false,\"is_bot\":false}"),
        "response_url" => new FakeReply(200, "ok"),
        "conversations.history" => History(body),
        _ => FakeReply.Ok(),
    };

    /// <summary>The channel's posts, newest first, each with its metadata (the bot always asks with include_all_metadata).</summary>
    private FakeReply History(string form)
    {
        var channel = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(form).GetValueOrDefault("channel").ToString();
        var messages = new JsonArray([.. posts.Where(p => p.Channel == channel).Reverse().Select(p =>
            (JsonNode)new JsonObject { ["type"] = "message", ["ts"] = p.Ts, ["metadata"] = p.Metadata?.DeepClone() })]);
        return FakeReply.Ok($"\"messages\":{messages.ToJsonString()},\"has_more\":false");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
