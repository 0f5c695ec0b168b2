using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>Stands in for the product: records every request that gets through and answers from a script.</summary>
internal sealed class RecordingRequestHandler : IChatRequestHandler
{
    private readonly ConcurrentQueue<ChatRequest> requests = new();

    public IReadOnlyList<ChatRequest> Requests => [.. requests];

    public Func<ChatRequest, ChatResponse> Answer { get; set; } =
        request => new ChatResponse(new ChatMessage($"Got {request.GetType().Name}", [new TextBlock($"Got {request.GetType().Name}")]));

    public Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        requests.Enqueue(request);
        return Task.FromResult(Answer(request));
    }

    public async Task<IReadOnlyList<ChatRequest>> WaitForAsync(int count)
    {
        for (var i = 0; i < 400 && requests.Count < count; i++)
            await Task.Delay(25);
        return Requests;
    }
}

/// <summary>The real host on loopback with Slack configured against a fake Slack and a recording request handler.</summary>
internal sealed class SlackTestHost : IAsyncDisposable
{
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string BotToken = "xoxb-test-token";

    private readonly WebApplication app;
    private bool handedOver;

    private SlackTestHost(WebApplication app, TestDatabase database, FakeSlackApi slack, RecordingRequestHandler handler)
    {
        this.app = app;
        Database = database;
        Slack = slack;
        Handler = handler;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public TestDatabase Database { get; }

    public FakeSlackApi Slack { get; }

    public RecordingRequestHandler Handler { get; }

    public static async Task<SlackTestHost> StartAsync(params string[] extra) =>
        await StartAsync(await TestDatabase.CreateAsync(DatabaseKind.Sqlite), await FakeSlackApi.StartAsync(), extra);

    /// <summary>A host whose every clock reading, delay and timer (the outbox's schedule, the HTTP pipeline's breaks) comes from <paramref name="clock"/>.</summary>
    public static async Task<SlackTestHost> StartAsync(TimeProvider clock, params string[] extra) =>
        await StartAsync(await TestDatabase.CreateAsync(DatabaseKind.Sqlite), await FakeSlackApi.StartAsync(), extra, clock);

    /// <summary>
    /// Stops this host and starts a new one on the same database file and fake Slack, as a restart or a
    /// second instance would see them. The new host owns the database and the fake from then on; disposing this one does nothing.
    /// </summary>
    public async Task<SlackTestHost> RestartAsync(params string[] extra)
    {
        handedOver = true;
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        return await StartAsync(Database, Slack, extra);
    }

    /// <summary>
    /// A second instance beside <paramref name="first"/>: the same database file and fake Slack, its own process state
    /// (rate limiters, caches, dispatcher). <paramref name="first"/> keeps owning the database and the fake.
    /// </summary>
    public static async Task<SlackTestHost> StartAlongsideAsync(SlackTestHost first, TimeProvider clock, params string[] extra)
    {
        var second = await StartAsync(first.Database, first.Slack, extra, clock);
        second.sharesWithFirst = true;
        return second;
    }

    private bool sharesWithFirst;

    private static async Task<SlackTestHost> StartAsync(TestDatabase database, FakeSlackApi slack, string[] extra, TimeProvider? clock = null)
    {
        var handler = new RecordingRequestHandler();
        var app = KudosRelayServer.Create(
            [
                "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
                $"--Database:Provider={database.Dialect}", $"--Database:ConnectionString={database.ConnectionString}",
                .. HostArguments(slack),
                "--Outbox:PollInterval=00:00:00.100",
                .. extra,
            ],
            builder =>
            {
                builder.Services.AddSingleton<IChatRequestHandler>(handler);
                if (clock is not null)
                    builder.Services.AddSingleton(clock);
            });
        await app.StartAsync();
        return new SlackTestHost(app, database, slack, handler);
    }

    public Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType, DateTimeOffset? at = null, string secret = SigningSecret, IDictionary<string, string>? headers = null) =>
        PostSignedAsync(Client, path, body, contentType, at, secret, headers);

    /// <summary>
    /// Until <c>/slack/readyz</c> answers 200, i.e. the host has taken in auth.test's answer (the fake seeing the
    /// call is not enough: the answer is still on its way back). Generous: a restart on a busy machine may take a while.
    /// </summary>
    public async Task WaitUntilReadyAsync()
    {
        for (var i = 0; i < 1200; i++)
        {
            using var ready = await Client.GetAsync(new Uri("/slack/readyz", UriKind.Relative));
            if (ready.StatusCode == System.Net.HttpStatusCode.OK)
                return;
            await Task.Delay(25);
        }
        throw new TimeoutException("/slack/readyz never answered 200");
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType, string? timestamp, string? signature, IDictionary<string, string>? headers = null) =>
        PostAsync(Client, path, body, contentType, timestamp, signature, headers);

    /// <summary>A request to a bot's <c>/slack/*</c> signed as Slack signs it.</summary>
    public static Task<HttpResponseMessage> PostSignedAsync(HttpClient bot, string path, string body, string contentType, DateTimeOffset? at = null, string secret = SigningSecret, IDictionary<string, string>? headers = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return PostAsync(bot, path, body, contentType, timestamp, Sign(secret, timestamp, body), headers);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient bot, string path, string body, string contentType, string? timestamp, string? signature, IDictionary<string, string>? headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (timestamp is not null)
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        if (signature is not null)
            request.Headers.Add("X-Slack-Signature", signature);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        return await bot.SendAsync(request);
    }

    /// <summary>The arguments that point the host's Slack adapter at <paramref name="slack"/>.</summary>
    public static string[] HostArguments(FakeSlackApi slack) =>
        [$"--Slack:SigningSecret={SigningSecret}", $"--Slack:BotToken={BotToken}", $"--Slack:ApiBaseUrl={slack.BaseUrl}"];

    public static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    public async ValueTask DisposeAsync()
    {
        if (handedOver)
            return;
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        if (sharesWithFirst)
            return;
        await Slack.DisposeAsync();
        await Database.DisposeAsync();
    }
}
