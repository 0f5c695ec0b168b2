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

    public async Task<VerifiedBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return VerifiedBody.Refused(StatusCodes.Status413PayloadTooLarge);

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
            return VerifiedBody.Refused(StatusCodes.Status413PayloadTooLarge);

        var timestamp = request.Headers["X-Slack-Request-Timestamp"];
        var provided = request.Headers["X-Slack-Signature"];
        if (timestamp.Count != 1 || provided.Count != 1 || !signature.IsValid(timestamp[0], provided[0], body))
        {
            LogRefused(request.Path);
            return VerifiedBody.Refused(StatusCodes.Status401Unauthorized);
        }
        return new VerifiedBody(body, null);
    }

    private async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            var read = 0;
            while (read < exact.Length)
            {
                var n = await request.Body.ReadAsync(exact.AsMemory(read), cancellationToken);
                if (n == 0)
                    return exact[..read];
                read += n;
            }
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int count;
        while ((count = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + count > maxBytes)
                return null;
            buffer.Write(chunk, 0, count);
        }
        return buffer.ToArray();
    }

    // Information, not Warning: a flood of forged requests must not become a flood of warnings.
    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an unsigned or wrongly signed request to {Path}")]
    private partial void LogRefused(PathString path);
}

/// <summary>The verified raw body, or the status code to refuse with.</summary>
internal readonly record struct VerifiedBody(byte[] Body, int? RefusalStatus)
{
    public static VerifiedBody Refused(int status) => new([], status);
}
