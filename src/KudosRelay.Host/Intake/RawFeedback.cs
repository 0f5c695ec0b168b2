using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Host.Intake;

/// <summary>
/// One feedback item as text, whichever way it arrived (JSON webhook or CSV row), checked once here
/// so both paths accept and refuse exactly the same things.
/// </summary>
internal sealed record RawFeedback(
    string? ExternalId,
    string? ReceivedAt,
    string? RatingScale,
    string? RatingValue,
    string? Text,
    string? AgentEmail,
    string? Team,
    string? CustomerName,
    string? CaseRef,
    string? Language)
{
    /// <summary>Generous for a paragraph of praise; a longer text is almost certainly not one item.</summary>
    internal const int MaxTextLength = 10_000;

    public FeedbackCheck Check(DateTime now)
    {
        if (string.IsNullOrWhiteSpace(ExternalId))
            return FeedbackCheck.Fail("externalId", "is required (a string or number unique within the source)");
        if (TooLong() is { } tooLong)
            return tooLong;
        var receivedAt = now;
        if (ReceivedAt is { Length: > 0 })
        {
            if (!InboundJson.TryParseIso8601(ReceivedAt, out var parsed))
                return FeedbackCheck.Fail("receivedAt", $"'{ReceivedAt}' is not an ISO 8601 date and time (such as 2026-11-23T09:12:00Z)");
            receivedAt = parsed.UtcDateTime;
            if (receivedAt < FeedbackLimits.EarliestReceivedAt)
                return FeedbackCheck.Fail("receivedAt", $"'{ReceivedAt}' is before {FeedbackLimits.EarliestReceivedAt:yyyy-MM-dd}; send the time the customer gave the feedback");
            if (receivedAt > now + InboundJson.MostAhead)
                return FeedbackCheck.Fail("receivedAt", $"'{ReceivedAt}' is more than a day in the future; send the time the customer gave the feedback");
        }
        Rating? rating = null;
        if (RatingScale is { Length: > 0 } || RatingValue is { Length: > 0 })
        {
            var (parsed, error) = Positivity.Parse(RatingScale, RatingValue);
            if (parsed is null)
                return FeedbackCheck.Fail("rating", error ?? "is not a valid rating");
            rating = parsed;
        }
        if (rating is null && string.IsNullOrWhiteSpace(Text))
            return FeedbackCheck.Fail("rating", "a rating or a text is required");
        if (Text is { Length: > MaxTextLength })
            return FeedbackCheck.Fail("text", $"must be at most {MaxTextLength} characters");
        return FeedbackCheck.Ok(new IncomingFeedback(
            ExternalId.Trim(), receivedAt, rating, Blank(Text), Blank(AgentEmail)?.Trim(), Blank(Team), Blank(CustomerName), Blank(CaseRef), Blank(Language)));
    }

    /// <summary>The first field longer than its column, measured as it would be stored.</summary>
    private FeedbackCheck? TooLong() =>
        TooLong("externalId", ExternalId.AsSpan().Trim().Length, FeedbackLimits.ExternalId)
        ?? TooLong("agentEmail", Blank(AgentEmail).AsSpan().Trim().Length, FeedbackLimits.AgentEmail)
        ?? TooLong("customerName", Blank(CustomerName)?.Length ?? 0, FeedbackLimits.CustomerName)
        ?? TooLong("caseRef", Blank(CaseRef)?.Length ?? 0, FeedbackLimits.CaseRef)
        ?? TooLong("language", Blank(Language)?.Length ?? 0, FeedbackLimits.Language);

    private static FeedbackCheck? TooLong(string field, int length, int limit) =>
        length > limit ? FeedbackCheck.Fail(field, $"must be at most {limit} characters, not {length}") : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

internal sealed record FeedbackCheck(IncomingFeedback? Item, string? Field, string? Reason)
{
    public static FeedbackCheck Ok(IncomingFeedback item) => new(item, null, null);

    public static FeedbackCheck Fail(string field, string reason) => new(null, field, reason);
}
