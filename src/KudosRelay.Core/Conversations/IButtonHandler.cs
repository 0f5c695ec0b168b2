namespace KudosRelay.Core.Conversations;

/// <summary>A feature's handler for the buttons it put on its messages, chosen by action id prefix (e.g. "nudge.").</summary>
public interface IButtonHandler
{
    string ActionPrefix { get; }

    Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken);
}
