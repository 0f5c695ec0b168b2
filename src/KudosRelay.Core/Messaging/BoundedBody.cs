using System.Buffers;

namespace KudosRelay.Core.Messaging;

/// <summary>
/// An inbound request body read whole into a pooled buffer, up to a limit that holds however the body arrives:
/// with a declared length or chunked. Every endpoint reads its body through this before it looks at the content.
/// Dispose it when done.
/// </summary>
public sealed class BoundedBody : IDisposable
{
    private byte[]? buffer;

    private BoundedBody(byte[] buffer, int length) => (this.buffer, Length) = (buffer, length);

    public int Length { get; }

    public ReadOnlySpan<byte> Span => (buffer ?? throw new ObjectDisposedException(nameof(BoundedBody))).AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => (buffer ?? throw new ObjectDisposedException(nameof(BoundedBody))).AsMemory(0, Length);

    /// <summary>The body, or null when it is (or says it is) longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<BoundedBody?> ReadAsync(Stream body, long? declaredLength, int maxBytes, CancellationToken cancellationToken)
    {
        if (declaredLength > maxBytes)
            return null;
        // One byte more than allowed is how a chunked body shows it is too long without reading it all.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min((declaredLength ?? 16 * 1024) + 1, maxBytes + 1L));
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
                buffer = Grow(buffer, length, maxBytes + 1);
            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
                return new BoundedBody(buffer, length);
            length += read;
            if (length > maxBytes)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return null;
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
            ArrayPool<byte>.Shared.Return(rented);
    }

    private static byte[] Grow(byte[] buffer, int length, int cap)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, cap));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
