using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Host;
using Microsoft.Extensions.DependencyInjection;

// dotnet run -c Release --project bench/slack/LoadHost -- --urls http://127.0.0.1:5081 --Slack:SigningSecret=… --Slack:BotToken=xoxb-bench --Slack:ApiBaseUrl=http://127.0.0.1:9/api/
var app = KudosRelayServer.Create(args, builder => builder.Services.AddSingleton<IChatRequestHandler, AcknowledgingHandler>());
await app.RunAsync();

/// <summary>Answers commands with a short reply and events with nothing, so the load measures the adapter, not a feature.</summary>
internal sealed class AcknowledgingHandler : IChatRequestHandler
{
    private static readonly ChatResponse Thanks = new(new ChatMessage("Thanks sent", [new TextBlock("Your thanks is on its way.")]));
    private static readonly ChatResponse Nothing = new(null);

    public Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request is ChatRequest.PeerKudos ? Thanks : Nothing);
}
