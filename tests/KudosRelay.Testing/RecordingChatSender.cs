using System.Collections.Concurrent;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Testing;

/// <summary>
/// A chat sender that records every delivery attempt and answers from a script, by default
/// "sent". The script sees the attempt number, so a test can fail the first tries.
/// </summary>
public sealed class RecordingChatSender(string platform = "test", Func<OutboundMessage, SendResult>? script = null) : IChatSender
{
    private readonly ConcurrentQueue<OutboundMessage> attempts = new();

    public string Platform { get; } = platform;

    public IReadOnlyCollection<OutboundMessage> Attempts => attempts;

    public IReadOnlyList<OutboundMessage> Delivered => attempts.Where(a => Answer(a) is SendResult.Sent).ToList();

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        attempts.Enqueue(message);
        return Task.FromResult(Answer(message));
    }

    private SendResult Answer(OutboundMessage message) => script?.Invoke(message) ?? new SendResult.Sent($"ref-{message.Id}");
}
