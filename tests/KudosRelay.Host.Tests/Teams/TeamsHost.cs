using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace KudosRelay.Host.Tests.Teams;

/// <summary>The real host on loopback with Teams pointed at a <see cref="FakeBotFramework"/> and a scripted request handler.</summary>
internal sealed class TeamsHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private TeamsHost(WebApplication app, FakeBotFramework fake, ScriptedHandler handler)
    {
        this.app = app;
        Fake = fake;
        Handler = handler;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public FakeBotFramework Fake { get; }
    public ScriptedHandler Handler { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => app.Services;

    public static Task<TeamsHost> StartAsync(TestDatabase database, FakeBotFramework fake, params string[] more) =>
        StartAsync(database, fake, null, more);

    /// <summary>With <paramref name="clock"/>, every clock reading, delay and timer in the host (the outbox's schedule, the HTTP pipeline's breaks) comes from it.</summary>
    public static async Task<TeamsHost> StartAsync(TestDatabase database, FakeBotFramework fake, TimeProvider? clock, params string[] more)
    {
        var handler = new ScriptedHandler();
        var app = KudosRelayServer.Create(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
             $"--Database:Provider={database.Dialect}", $"--Database:ConnectionString={database.ConnectionString}", .. fake.HostArguments(more)],
            builder =>
            {
                builder.Services.AddSingleton<IChatRequestHandler>(handler);
                if (clock is not null)
                    builder.Services.AddSingleton(clock);
            });
        await app.StartAsync();
        return new TeamsHost(app, fake, handler);
    }

    public Task<HttpResponseMessage> PostAsync(JsonNode activity, string? token = null, string? scheme = "Bearer") =>
        PostRawAsync(activity.ToJsonString(), token ?? Fake.Token(activity["serviceUrl"]?.GetValue<string>()), scheme);

    public Task<HttpResponseMessage> PostRawAsync(string body, string? token, string? scheme = "Bearer") =>
        FakeBotFramework.PostActivityAsync(Client, body, token, scheme);

    /// <summary>Waits (bounded) until the fake Connector has seen <paramref name="count"/> calls.</summary>
    public async Task<IReadOnlyList<FakeBotFramework.ConnectorCall>> ConnectorCallsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Fake.Calls.Count < count && !timeout.IsCancellationRequested)
            await Task.Delay(20);
        return Fake.Calls.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Records what the adapter hands over and answers as the features would.</summary>
internal sealed class ScriptedHandler : IChatRequestHandler
{
    public ConcurrentQueue<ChatRequest> Requests { get; } = new();

    public static readonly ChatMessage ApprovedCard = new("Approved", [new HeadingBlock("Approved"), new TextBlock("Thanks, approved by you.")]);

    public static readonly ChatMessage ListCard = new("3 customers thanked you", [new HeadingBlock("3 customers thanked you"), new QuoteBlock("Ana found my parcel", "Maria · this morning")]);

    public Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Task.FromResult(request switch
        {
            ChatRequest.ButtonPressed { ActionId: "approve" } => new ChatResponse(null, ApprovedCard),
            ChatRequest.ButtonPressed { ActionId: "toast" } => new ChatResponse(new ChatMessage("Noted", [new TextBlock("Noted")])),
            ChatRequest.ButtonPressed { ActionId: "see-all" } => new ChatResponse(new ChatMessage("It is on your Home tab", [new TextBlock("It is on your Home tab")]))
            {
                Page = new ChatPage(ListCard, "Back to Home"),
            },
            ChatRequest.ButtonPressed => throw new ArgumentException("unknown action"),
            ChatRequest.PeerKudos kudos => new ChatResponse(new ChatMessage($"Kudos sent to {kudos.To.DisplayName}",
                [new TextBlock($"Kudos sent to {kudos.To.DisplayName}"), new ButtonsBlock([new ChatButton("Undo", "kudos.undo", "17")])])),
            ChatRequest.Settings => new ChatResponse(new ChatMessage("Settings", [new HeadingBlock("Settings")])),
            _ => new ChatResponse(new ChatMessage("Help", [new HeadingBlock("What I can do"), new TextBlock("kudos @someone for …")])),
        });
    }
}
