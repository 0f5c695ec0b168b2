using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Outbox;

/// <summary>
/// How a message is stored in the outbox: web-style JSON with its metadata generated at compile time, since a sweep or an
/// import writes thousands of bodies in one transaction. Bodies are stored and read back, never put into a page, so
/// HTML-sensitive characters and non-Latin letters are written as they are: a Cyrillic quote stays a third of the size it
/// takes as \u escapes.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChatMessage))]
internal sealed partial class OutboxJson : JsonSerializerContext
{
    public static JsonSerializerOptions Stored { get; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = Default, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
