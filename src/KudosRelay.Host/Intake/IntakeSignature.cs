using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KudosRelay.Host.Intake;

/// <summary>
/// <c>X-KudosRelay-Signature: sha256=&lt;hex HMAC-SHA256 of "{timestamp}.{raw body}"&gt;</c> with the
/// source's secret, and <c>X-KudosRelay-Timestamp</c> within five minutes of now.
/// </summary>
internal static class IntakeSignature
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static bool IsValid(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Window.TotalSeconds
            || signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal))
            return false;

        var expected = Compute(secret, timestamp!, body);
        Span<byte> provided = stackalloc byte[32];
        return Convert.FromHexString(signature.AsSpan(7), provided, out _, out var written) == OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    public static byte[] Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    public static string Header(string secret, string timestamp, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(Compute(secret, timestamp, body));
}
