using System.Buffers;
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
        if (request.ContentLength > maxBytes)
            return VerifiedBody.Refused(StatusCodes.Status413PayloadTooLarge);

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
            return VerifiedBody.Refused(StatusCodes.Status413PayloadTooLarge);

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

    private async Task<VerifiedBody?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)length);
            var read = 0;
            while (read < length)
            {
                var n = await request.Body.ReadAsync(buffer.AsMemory(read, (int)length - read), cancellationToken);
                if (n == 0)
                    break;
                read += n;
            }
            return new VerifiedBody(buffer, read, pooled: true);
        }

        using var chunked = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int count;
        while ((count = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (chunked.Length + count > maxBytes)
                return null;
            chunked.Write(chunk, 0, count);
        }
        return new VerifiedBody(chunked.GetBuffer(), (int)chunked.Length, pooled: false);
    }

    // Information, not Warning: a flood of forged requests must not become a flood of warnings.
    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an unsigned or wrongly signed request to {Path}")]
    private partial void LogRefused(PathString path);
}

/// <summary>The verified raw body, or the status code to refuse with. Its buffer may be pooled: use it only until disposed.</summary>
internal sealed class VerifiedBody(byte[] buffer, int length, bool pooled, int? refusalStatus = null) : IDisposable
{
    private byte[]? returnToPool = pooled ? buffer : null;

    public int? RefusalStatus { get; } = refusalStatus;

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    public static VerifiedBody Refused(int status) => new([], 0, pooled: false, status);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref returnToPool, null) is { } rented)
            ArrayPool<byte>.Shared.Return(rented);
    }
}
