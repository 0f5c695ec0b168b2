namespace KudosRelay.Core.Conversations;

/// <summary>A feature's handler for one form (<see cref="ChatForm.FormId"/>): opening it and each submission of it.</summary>
public interface IFormHandler
{
    string FormId { get; }

    Task<ChatResponse> OpenAsync(ChatRequest.FormRequested request, CancellationToken cancellationToken);

    Task<ChatResponse> SubmitAsync(ChatRequest.FormSubmitted submission, CancellationToken cancellationToken);
}
