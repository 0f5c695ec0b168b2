using KudosRelay.Core.Messaging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// Reads a Slack request's raw body once, within the size limit, and checks its signature before
/// anything looks at the content. Refusals carry no detail: 401 for any signature problem, 413 for a
/// body too large.
/// </summary>
internal sealed partial class SlackRequestVerifier(SlackSignature signature, IOptions<SlackOptions> options, ILogger<SlackRequestVerifier> logger)
{
    private readonly int maxBytes = options.Value.MaxRequestBytes;

    /// <summary>The verified body; dispose it when done (its buffer is pooled).</summary>
    public async Task<VerifiedBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var read = await BoundedBody.ReadAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
        if (read is null)
            return VerifiedBody.Refused(StatusCodes.Status413PayloadTooLarge);
        var body = new VerifiedBody(read);

        var timestamp = request.Headers["X-Slack-Request-Timestamp"];
        var provided = request.Headers["X-Slack-Signature"];
        if (timestamp.Count != 1 || provided.Count != 1 || !signature.IsValid(timestamp[0], provided[0], body.Span))
        {
            body.Dispose();
            LogRefused(request.Path);
            return VerifiedBody.Refused(StatusCodes.Status401Unauthorized);
        }
        return body;
    }

    // Information, not Warning: a flood of forged requests must not become a flood of warnings.
    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an unsigned or wrongly signed request to {Path}")]
    private partial void LogRefused(PathString path);
}

/// <summary>The verified raw body, or the status code to refuse with. Its buffer is pooled: use it only until disposed.</summary>
internal sealed class VerifiedBody(BoundedBody? body, int? refusalStatus = null) : IDisposable
{
    public int? RefusalStatus { get; } = refusalStatus;

    public ReadOnlySpan<byte> Span => body is null ? [] : body.Span;

    public static VerifiedBody Refused(int status) => new(null, status);

    public void Dispose() => body?.Dispose();
}
