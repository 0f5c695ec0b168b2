using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Host;

// The real server with a request handler that answers every request with a short card, so the
// load test measures the Teams adapter (token check, parse, conversation reference, outbox) and
// not a feature. Arguments are the server's configuration, as for `kudosrelay serve`.
var app = KudosRelayServer.Create(args, builder => builder.Services.AddSingleton<IChatRequestHandler, EchoHandler>());
await app.RunAsync();

internal sealed class EchoHandler : IChatRequestHandler
{
    private static readonly ChatResponse Reply = new(new ChatMessage("Help", [new HeadingBlock("What I can do"), new TextBlock("kudos @someone for …")]));

    private static readonly ChatResponse Nothing = new(null);

    // "settings" gets no reply, so a run with it measures the endpoint without the outbox write.
    public Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request is ChatRequest.Settings ? Nothing : Reply);
}
