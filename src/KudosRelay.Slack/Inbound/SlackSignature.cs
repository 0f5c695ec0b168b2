using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// Slack's request signing, version 0: <c>X-Slack-Signature = "v0=" + hex(HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"))</c>.
/// A request is accepted only with both headers, a timestamp within five minutes of our clock and a
/// signature that matches in constant time.
/// </summary>
internal sealed class SlackSignature(byte[] signingSecret, TimeProvider clock)
{
    /// <summary>Slack's documented replay window; its SDKs use the same 300 s.</summary>
    internal static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private const int SignatureBytes = 32;

    public SlackSignature(string signingSecret, TimeProvider clock)
        : this(Encoding.UTF8.GetBytes(signingSecret), clock)
    {
    }

    public bool IsValid(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (signingSecret.Length == 0 || timestamp is null || signature is null)
            return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if (Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > (long)MaxClockSkew.TotalSeconds)
            return false;
        if (!signature.StartsWith("v0=", StringComparison.Ordinal) || signature.Length != 3 + (SignatureBytes * 2))
            return false;

        Span<byte> provided = stackalloc byte[SignatureBytes];
        if (Convert.FromHexString(signature.AsSpan(3), provided, out _, out var written) != OperationStatus.Done || written != SignatureBytes)
            return false;

        Span<byte> expected = stackalloc byte[SignatureBytes];
        Compute(timestamp, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    /// <summary>The header value Slack would send for this body; used by tests and the load script's twin.</summary>
    public string Sign(string timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[SignatureBytes];
        Compute(timestamp, body, mac);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    private void Compute(string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, signingSecret);
        Span<byte> prefix = stackalloc byte[3 + 20 + 1];
        var length = Encoding.ASCII.GetBytes("v0:", prefix);
        length += Encoding.ASCII.GetBytes(timestamp, prefix[length..]);
        prefix[length++] = (byte)':';
        hmac.AppendData(prefix[..length]);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
