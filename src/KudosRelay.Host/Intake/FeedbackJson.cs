using System.Text.Json;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Host.Intake;

/// <summary>
/// Reads the intake body: one item, an array of items, or <c>{ "items": [...] }</c>. Each item is
/// checked on its own, so one bad item is reported by field and never sinks the batch: a field of the
/// wrong JSON type (a <c>receivedAt</c> that is an object), or text that is not text (invalid UTF-8, an
/// unpaired surrogate) rejects that item, naming the field.
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
            var check = element.ValueKind == JsonValueKind.Object ? Check(element, now) : FeedbackCheck.Fail("", "each item must be a JSON object");
            if (check.Item is not null)
                accepted.Add(check.Item);
            else
                rejected.Add(FeedbackOutcome.Rejected(new ItemFields(element).Scalar("externalId"), index, check.Field!, check.Reason!));
        }
        return new FeedbackBatch(elements.Count, accepted, rejected);
    }

    private static FeedbackCheck Check(JsonElement element, DateTime now)
    {
        var fields = new ItemFields(element);
        var raw = ToRaw(fields);
        return fields.Problem is { } problem ? FeedbackCheck.Fail(problem.Field, problem.Reason) : raw.Check(now);
    }

    private static RawFeedback ToRaw(ItemFields item) => new(
        item.Scalar("externalId"),
        item.Scalar("receivedAt", numberAllowed: false),
        item.Scalar("rating", "scale"),
        item.Scalar("rating", "value"),
        item.Scalar("text"),
        item.Scalar("agentEmail") ?? item.Scalar("ticket", "assigneeEmail"),
        item.Scalar("team"),
        item.Scalar("customer", "name"),
        item.Scalar("caseRef"),
        item.Scalar("language"));

    /// <summary>Reads an item's fields, keeping the first problem met (by field, as the sender names it).</summary>
    private sealed class ItemFields(JsonElement item)
    {
        public InboundProblem? Problem { get; private set; }

        /// <summary>A string, number or boolean property as text; null or absent is missing; any other type is a problem.</summary>
        public string? Scalar(string name, bool numberAllowed = true) =>
            item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? Text(value, name, numberAllowed) : null;

        /// <summary><c>parent.name</c>; a parent that is there but not an object is a problem.</summary>
        public string? Scalar(string parent, string name)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(parent, out var inner) || inner.ValueKind == JsonValueKind.Null)
                return null;
            if (inner.ValueKind != JsonValueKind.Object)
                return Fail(parent, "must be an object");
            return inner.TryGetProperty(name, out var value) ? Text(value, $"{parent}.{name}", numberAllowed: true) : null;
        }

        private string? Text(JsonElement value, string field, bool numberAllowed) => value.ValueKind switch
        {
            JsonValueKind.String => InboundJson.TryGetText(value, out var text) ? text : Fail(field, InboundJson.InvalidText),
            JsonValueKind.Number when numberAllowed => value.GetRawText(),
            JsonValueKind.True when numberAllowed => "true",
            JsonValueKind.False when numberAllowed => "false",
            JsonValueKind.Null => null,
            _ => Fail(field, numberAllowed ? "must be a string or a number" : "must be a string (an ISO 8601 date and time)"),
        };

        private string? Fail(string field, string reason)
        {
            Problem ??= new InboundProblem(field, reason);
            return null;
        }
    }
}

internal sealed record FeedbackBatch(int Count, IReadOnlyList<IncomingFeedback> Accepted, IReadOnlyList<FeedbackOutcome> Rejected);
