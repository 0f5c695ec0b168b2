using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KudosRelay.Host.Tests.Inbound;

/// <summary>
/// Deterministic malformed variants of valid request bodies: from one seed the same bodies every run, so a
/// failure found in CI is found again on a laptop. Each variant breaks a valid document in one or a few
/// places: a value replaced by hostile JSON text (unpaired surrogates, bytes that are not UTF-8, numbers
/// out of every range, nulls and wrong types, dates that are not ISO 8601, deep nesting), a property
/// removed, a null pushed into a list, or the bytes truncated or flipped after serialising.
/// </summary>
internal sealed class MalformedRequests(int seed)
{
    private readonly Random random = new(seed);

    private static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Raw JSON text put where a value was. Some of it is not valid JSON or not valid UTF-8 on purpose.</summary>
    private static readonly byte[][] Hostile =
    [
        .. new[]
        {
            "\"U\\ud800\"", "\"\\udfff tail\"", "\"\\ud800\\ud800\"", "\"\\ud83d\"", "\"ok \\u0000 nul\"", "\"\"", "\" \"",
            "253402300800", "-62135596801", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "1e400", "-1e400", "-0", "0.5", "1E-400", "123456789012345678901234567890",
            "null", "true", "false", "{}", "[]", "[null]", "[null,null]", "{\"id\":null}", "[1,\"a\",{}]", "{\"type\":5}",
            "\"01/02/2026\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"1899-12-31\"", "\"2026-13-45T25:61:00Z\"",
            "\"<at>TestBot</at>\"", "\"kudos <@UANA> \"", "\"<@U\\ud800>\"", "\"\\\"\"", "\"%ff%fe\"",
            "{\"action\":{\"verb\":7}}", "{\"action\":null}", "{\"action\":{\"verb\":\"\\ud800\",\"data\":[null]}}",
            new string('[', 80) + new string(']', 80), "\"" + new string('x', 20_000) + "\"",
        }.Select(Encoding.UTF8.GetBytes),
        [(byte)'"', 0xC3, 0x28, (byte)'"'],
        [(byte)'"', 0xFF, 0xFE, 0xFD, (byte)'"'],
        [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],          // a surrogate encoded as UTF-8 (CESU), not allowed in UTF-8
        [(byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"'],    // above U+10FFFF
        [(byte)'"', 0xC0, 0xAF, (byte)'"'],                // overlong '/'
        [(byte)'"', (byte)'a', 0xE2, 0x82, (byte)'"'],     // truncated sequence
    ];

    public byte[] Json(JsonNode valid)
    {
        var document = valid.DeepClone();
        var places = Places(document);
        var replacements = new List<byte[]>();
        var changes = 1 + random.Next(3);
        for (var i = 0; i < changes && places.Count > 0; i++)
        {
            var (parent, key, index) = places[random.Next(places.Count)];
            switch (random.Next(10))
            {
                case < 6:
                    var marker = $"@@FUZZ{replacements.Count}@@";
                    replacements.Add(Hostile[random.Next(Hostile.Length)]);
                    Set(parent, key, index, JsonValue.Create(marker));
                    break;
                case 6 when key is not null:
                    parent.AsObject().Remove(key);
                    places = Places(document);
                    break;
                case 7 when Get(parent, key, index) is JsonArray list:
                    list.Insert(random.Next(list.Count + 1), null);
                    break;
                default:
                    Set(parent, key, index, null);
                    break;
            }
        }
        var bytes = Splice(JsonSerializer.SerializeToUtf8Bytes(document, Plain), replacements);
        return random.Next(8) switch
        {
            0 => bytes[..random.Next(bytes.Length)],
            1 => Flip(bytes),
            _ => bytes,
        };
    }

    /// <summary>A form body (<c>a=1&amp;b=2</c>) with a value replaced by hostile text, percent-encoded or raw, a field dropped or repeated, or the bytes broken.</summary>
    public byte[] Form(IReadOnlyList<(string Key, string Value)> valid)
    {
        var fields = valid.Select(f => (f.Key, Value: Encoding.UTF8.GetBytes(Uri.EscapeDataString(f.Value)))).ToList();
        var at = random.Next(fields.Count);
        switch (random.Next(6))
        {
            case 0:
                fields.RemoveAt(at);
                break;
            case 1:
                fields.Add(fields[at]);
                break;
            case 2:
                fields[at] = (fields[at].Key, Hostile[random.Next(Hostile.Length)]);    // raw, not encoded
                break;
            default:
                fields[at] = (fields[at].Key, PercentEncode(Hostile[random.Next(Hostile.Length)]));
                break;
        }
        var bytes = fields.SelectMany((f, i) => (i == 0 ? Array.Empty<byte>() : "&"u8.ToArray()).Concat(Encoding.ASCII.GetBytes(f.Key + "=")).Concat(f.Value)).ToArray();
        return random.Next(8) switch
        {
            0 => bytes[..random.Next(bytes.Length)],
            1 => Flip(bytes),
            _ => bytes,
        };
    }

    /// <summary>An interaction: the <c>payload</c> field holding malformed JSON, percent-encoded byte for byte.</summary>
    public byte[] Interaction(JsonNode validPayload) =>
        [.. "payload="u8, .. PercentEncode(Json(validPayload))];

    private static byte[] PercentEncode(byte[] bytes) =>
        Encoding.ASCII.GetBytes(string.Concat(bytes.Select(b => char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"%{b:X2}")));

    private byte[] Flip(byte[] bytes)
    {
        if (bytes.Length == 0)
            return bytes;
        var copy = bytes.ToArray();
        copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }

    private static byte[] Splice(byte[] json, List<byte[]> replacements)
    {
        var text = json.ToList();
        for (var i = 0; i < replacements.Count; i++)
        {
            var marker = Encoding.UTF8.GetBytes($"\"@@FUZZ{i}@@\"");
            var at = IndexOf(text, marker);
            if (at < 0)
                continue;   // its place was removed by a later change
            text.RemoveRange(at, marker.Length);
            text.InsertRange(at, replacements[i]);
        }
        return [.. text];
    }

    private static int IndexOf(List<byte> text, byte[] part)
    {
        for (var i = 0; i + part.Length <= text.Count; i++)
        {
            var j = 0;
            while (j < part.Length && text[i + j] == part[j])
                j++;
            if (j == part.Length)
                return i;
        }
        return -1;
    }

    /// <summary>Every value position in the document: (its parent, its property name or its index).</summary>
    private static List<(JsonNode Parent, string? Key, int Index)> Places(JsonNode root)
    {
        var places = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj.ToList())
                    {
                        places.Add((obj, key, -1));
                        if (child is not null)
                            Walk(child);
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        places.Add((array, null, i));
                        if (array[i] is { } child)
                            Walk(child);
                    }
                    break;
            }
        }
        Walk(root);
        return places;
    }

    private static JsonNode? Get(JsonNode parent, string? key, int index) => key is not null ? parent[key] : parent[index];

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (key is not null)
            parent[key] = value;
        else
            parent[index] = value;
    }
}
