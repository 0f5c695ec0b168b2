using System.Globalization;
using System.Text.Json;
using KudosRelay.Core.Kudos;

namespace KudosRelay.Host.Intake;

/// <summary>
/// Reads the intake body: one item, an array of items, or <c>{ "items": [...] }</c>. Each item is
/// checked on its own, so one bad item is reported by field and never sinks the batch.
/// </summary>
internal static class FeedbackJson
{
    public static FeedbackBatch Parse(JsonElement root, DateTime now)
    {
        var elements = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            JsonValueKind.Object when root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array => items.EnumerateArray().ToList(),
            JsonValueKind.Object => [root],
            _ => throw new FormatException("the body must be a feedback item, an array of items, or an object with an \"items\" array"),
        };
        var accepted = new List<IncomingFeedback>(elements.Count);
        var rejected = new List<FeedbackOutcome>();
        for (var index = 0; index < elements.Count; index++)
        {
            var item = ParseItem(elements[index], now, out var problem);
            if (item is not null)
                accepted.Add(item);
            else
                rejected.Add(FeedbackOutcome.Rejected(ExternalIdOf(elements[index]), index, problem!.Value.Field, problem.Value.Reason));
        }
        return new FeedbackBatch(elements.Count, accepted, rejected);
    }

    private static IncomingFeedback? ParseItem(JsonElement item, DateTime now, out (string Field, string Reason)? problem)
    {
        problem = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            problem = ("", "each item must be a JSON object");
            return null;
        }
        var externalId = ExternalIdOf(item);
        if (string.IsNullOrWhiteSpace(externalId))
        {
            problem = ("externalId", "is required (a string or number unique within the source)");
            return null;
        }
        if (externalId.Length > 200)
        {
            problem = ("externalId", "must be at most 200 characters");
            return null;
        }
        var receivedAt = now;
        if (String(item, "receivedAt") is { } received)
        {
            if (!DateTimeOffset.TryParse(received, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                problem = ("receivedAt", $"'{received}' is not an ISO 8601 date and time");
                return null;
            }
            receivedAt = parsed.UtcDateTime;
        }
        Rating? rating = null;
        if (item.TryGetProperty("rating", out var ratingElement) && ratingElement.ValueKind != JsonValueKind.Null)
        {
            rating = ParseRating(ratingElement, out var ratingProblem);
            if (rating is null)
            {
                problem = ratingProblem;
                return null;
            }
        }
        var text = String(item, "text");
        if (rating is null && string.IsNullOrWhiteSpace(text))
        {
            problem = ("rating", "a rating or a text is required");
            return null;
        }
        if (text is { Length: > 10_000 })
        {
            problem = ("text", "must be at most 10000 characters");
            return null;
        }
        var agentEmail = String(item, "agentEmail") ?? Nested(item, "ticket", "assigneeEmail");
        return new IncomingFeedback(
            externalId.Trim(),
            receivedAt,
            rating,
            text,
            agentEmail?.Trim(),
            String(item, "team"),
            Nested(item, "customer", "name"),
            String(item, "caseRef"),
            String(item, "language"));
    }

    private static Rating? ParseRating(JsonElement rating, out (string Field, string Reason)? problem)
    {
        problem = null;
        if (rating.ValueKind != JsonValueKind.Object || String(rating, "scale") is not { } scale)
        {
            problem = ("rating.scale", "is required: csat5, nps10, stars5, thumbs or percent");
            return null;
        }
        if (!rating.TryGetProperty("value", out var value))
        {
            problem = ("rating.value", "is required");
            return null;
        }
        double? number = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            JsonValueKind.String when value.GetString() is "up" => 1,
            JsonValueKind.String when value.GetString() is "down" => 0,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (number is null)
        {
            problem = ("rating.value", "must be a number (or \"up\"/\"down\" for thumbs)");
            return null;
        }
        var candidate = new Rating(scale.Trim().ToLowerInvariant(), number.Value);
        if (Positivity.Validate(candidate).Error is { } error)
        {
            problem = ("rating", error);
            return null;
        }
        return candidate;
    }

    private static string? ExternalIdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("externalId", out var id)
            ? id.ValueKind switch
            {
                JsonValueKind.String => id.GetString(),
                JsonValueKind.Number => id.GetRawText(),
                _ => null,
            }
            : null;

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static string? Nested(JsonElement item, string parent, string name) =>
        item.TryGetProperty(parent, out var inner) && inner.ValueKind == JsonValueKind.Object ? String(inner, name) : null;
}

internal sealed record FeedbackBatch(int Count, IReadOnlyList<IncomingFeedback> Accepted, IReadOnlyList<FeedbackOutcome> Rejected);
