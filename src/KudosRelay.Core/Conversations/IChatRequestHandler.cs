namespace KudosRelay.Core.Conversations;

/// <summary>
/// Where adapters hand verified, parsed requests. One implementation routes them to the features;
/// adapters know nothing else about the product.
/// </summary>
public interface IChatRequestHandler
{
    Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken);
}
