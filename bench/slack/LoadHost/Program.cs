using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// dotnet run -c Release --project bench/slack/LoadHost -- --urls http://127.0.0.1:5081 --Slack:SigningSecret=… --Slack:BotToken=xoxb-bench --Slack:ApiBaseUrl=http://127.0.0.1:9/api/
// --Bench:AnswerMentions=true makes every mention get an answer, which then goes through the outbox before the 200.
var app = KudosRelayServer.Create(args, builder => builder.Services.AddSingleton<IChatRequestHandler>(
    new AcknowledgingHandler(builder.Configuration.GetValue<bool>("Bench:AnswerMentions"))));
await app.RunAsync();

/// <summary>Answers commands with a short reply and, unless asked to answer them, events with nothing, so the load measures the adapter, not a feature.</summary>
internal sealed class AcknowledgingHandler(bool answerMentions) : IChatRequestHandler
{
    private static readonly ChatResponse Thanks = new(new ChatMessage("Thanks sent", [new TextBlock("Your thanks is on its way.")]));
    private static readonly ChatResponse Help = new(new ChatMessage("Here is what I can do", [new TextBlock("Try /kudos @someone.")]));
    private static readonly ChatResponse Nothing = new(null);

    public Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request switch
        {
            ChatRequest.PeerKudos => Thanks,
            _ when answerMentions => Help,
            _ => Nothing,
        });
}
