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
            var element = elements[index];
            var check = element.ValueKind == JsonValueKind.Object
                ? ToRaw(element).Check(now)
                : FeedbackCheck.Fail("", "each item must be a JSON object");
            if (check.Item is not null)
                accepted.Add(check.Item);
            else
                rejected.Add(FeedbackOutcome.Rejected(Scalar(element, "externalId"), index, check.Field!, check.Reason!));
        }
        return new FeedbackBatch(elements.Count, accepted, rejected);
    }

    private static RawFeedback ToRaw(JsonElement item)
    {
        var rating = item.TryGetProperty("rating", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        return new RawFeedback(
            Scalar(item, "externalId"),
            Scalar(item, "receivedAt"),
            rating.ValueKind == JsonValueKind.Object ? Scalar(rating, "scale") : null,
            rating.ValueKind == JsonValueKind.Object ? Scalar(rating, "value") : null,
            Scalar(item, "text"),
            Scalar(item, "agentEmail") ?? Nested(item, "ticket", "assigneeEmail"),
            Scalar(item, "team"),
            Nested(item, "customer", "name"),
            Scalar(item, "caseRef"),
            Scalar(item, "language"));
    }

    /// <summary>A string, number or boolean property as text; anything else counts as missing.</summary>
    private static string? Scalar(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    private static string? Nested(JsonElement item, string parent, string name) =>
        item.TryGetProperty(parent, out var inner) && inner.ValueKind == JsonValueKind.Object ? Scalar(inner, name) : null;
}

internal sealed record FeedbackBatch(int Count, IReadOnlyList<IncomingFeedback> Accepted, IReadOnlyList<FeedbackOutcome> Rejected);
