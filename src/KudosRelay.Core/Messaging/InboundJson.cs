using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace KudosRelay.Core.Messaging;

/// <summary>What is wrong with a request body, by the field a sender would look for. Never carries the value itself.</summary>
public sealed record InboundProblem(string Field, string Reason);

/// <summary>
/// The checks every platform's JSON reading layer runs on what it was sent. System.Text.Json parses invalid UTF-8
/// and unpaired surrogate escapes (<c>"U\ud800"</c>) without a word and throws only when the string is read,
/// far from where a 4xx can still be answered; so bodies are checked here first, and dates and strings taken
/// from documents through the helpers below.
/// </summary>
public static partial class InboundJson
{
    /// <summary>Deeper JSON than any platform sends is refused rather than walked.</summary>
    public const int MaxDepth = 64;

    public const string InvalidText = "is not valid text (invalid UTF-8 or an unpaired surrogate)";

    /// <summary>The first string or property name that cannot be read as text, or the body not being JSON at all; null when all is readable.</summary>
    public static InboundProblem? FindUnreadableText(ReadOnlySpan<byte> json)
    {
        var field = "$";
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when !IsReadable(ref reader):
                        return new InboundProblem(field, "holds a property name that " + InvalidText);
                    case JsonTokenType.PropertyName:
                        field = reader.GetString()!;
                        break;
                    case JsonTokenType.String when !IsReadable(ref reader):
                        return new InboundProblem(field, InvalidText);
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return new InboundProblem("$", "is not valid JSON");
        }
    }

    private static bool IsReadable(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            return Utf8.IsValid(reader.ValueSpan);
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The element's string, or false when it is a string that cannot be read as text.</summary>
    public static bool TryGetText(JsonElement element, out string? text)
    {
        text = null;
        if (element.ValueKind != JsonValueKind.String)
            return true;
        try
        {
            text = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// An ISO 8601 / RFC 3339 date, or date and time with an optional offset (UTC when none is given):
    /// <c>2026-02-01</c>, <c>2026-02-01T09:30:00Z</c>, <c>2026-02-01T11:30:00.123+02:00</c>. Nothing else: a
    /// <c>01/02/2026</c> could be either of two days.
    /// </summary>
    public static bool TryParseIso8601(string text, out DateTimeOffset value)
    {
        value = default;
        return Iso8601().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>The earliest moment any inbound date may name: earlier ones are placeholders or parsing mistakes.</summary>
    public static readonly DateTimeOffset EarliestDate = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of our clock a sender's clock may run.</summary>
    public static readonly TimeSpan MostAhead = TimeSpan.FromDays(1);

    /// <summary>Why <paramref name="at"/> cannot be when something happened, or null when it can.</summary>
    public static string? CheckMoment(DateTimeOffset at, DateTimeOffset now) =>
        at < EarliestDate ? $"is before {EarliestDate:yyyy-MM-dd}"
        : at > now + MostAhead ? "is more than a day in the future"
        : null;

    /// <summary>Unix seconds as a moment, or null when they are outside the dates <see cref="CheckMoment"/> accepts.</summary>
    public static DateTimeOffset? FromUnixSeconds(long seconds, DateTimeOffset now) =>
        seconds < EarliestDate.ToUnixTimeSeconds() || seconds > (now + MostAhead).ToUnixTimeSeconds()
            ? null
            : DateTimeOffset.FromUnixTimeSeconds(seconds);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
