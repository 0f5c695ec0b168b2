using KudosRelay.Core.Messaging;
using Xunit;

namespace KudosRelay.Core.Tests.Messaging;

public sealed class BoundedBodyTests
{
    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_without_reading()
    {
        var stream = new TrickleStream(new byte[10]);

        Assert.Null(await BoundedBody.ReadAsync(stream, declaredLength: 2000, maxBytes: 1000, CancellationToken.None));
        Assert.Equal(0, stream.Reads);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_as_soon_as_it_passes_it()
    {
        var stream = new TrickleStream(new byte[5000], chunk: 100);

        Assert.Null(await BoundedBody.ReadAsync(stream, declaredLength: null, maxBytes: 1000, CancellationToken.None));
        Assert.True(stream.Reads <= 11, $"read {stream.Reads} chunks");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(999)]
    [InlineData(1000)]
    public async Task A_body_up_to_the_limit_is_read_whole_however_it_arrives(int size)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();

        using var chunked = await BoundedBody.ReadAsync(new TrickleStream(bytes, chunk: 7), null, 1000, CancellationToken.None);
        using var declared = await BoundedBody.ReadAsync(new TrickleStream(bytes, chunk: 64), size, 1000, CancellationToken.None);

        Assert.Equal(bytes, chunked!.Span.ToArray());
        Assert.Equal(bytes, declared!.Span.ToArray());
    }

    /// <summary>A request body that arrives a few bytes at a time, as a network does.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk = 16) : Stream
    {
        private int position;

        public int Reads { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            var n = Math.Min(Math.Min(count, chunk), bytes.Length - position);
            Array.Copy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
