using System.Text.Json;
using System.Text.Json.Serialization;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Teams.Inbound;

/// <summary>
/// The part of a Bot Framework activity (<c>botframework-activity.md</c>) the bot reads or writes;
/// everything else is ignored on the way in and left out on the way out.
/// </summary>
internal sealed record Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? ChannelId { get; init; }
    public string? ServiceUrl { get; init; }
    public ChannelAccount? From { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }

    /// <summary>The sender's language as their Teams client reports it ("bg-BG"), for the adapter's own replies.</summary>
    public string? Locale { get; init; }
    public string? Summary { get; init; }
    public string? Action { get; init; }
    public string? ReplyToId { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }
    public IReadOnlyList<Entity>? Entities { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
    public JsonElement? Value { get; init; }

    /// <summary>The tenant, which Teams puts in <c>conversation.tenantId</c>, <c>channelData.tenant.id</c> or both.</summary>
    [JsonIgnore]
    public string? TenantId => Conversation?.TenantId is { Length: > 0 } tenant ? tenant : ChannelData?.Tenant?.Id;
}

internal sealed record ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
}

internal sealed record ConversationAccount
{
    public string? Id { get; init; }
    public string? ConversationType { get; init; }
    public string? TenantId { get; init; }
    public bool? IsGroup { get; init; }
    public string? Name { get; init; }
}

internal sealed record Entity
{
    public string? Type { get; init; }
    public ChannelAccount? Mentioned { get; init; }
    public string? Text { get; init; }
}

internal sealed record Attachment
{
    public string? ContentType { get; init; }
    public object? Content { get; init; }
}

internal sealed record TeamsChannelData
{
    public TenantInfo? Tenant { get; init; }
    public TeamInfo? Team { get; init; }
    public TeamInfo? Channel { get; init; }
    public string? EventType { get; init; }
}

internal sealed record TenantInfo
{
    public string? Id { get; init; }
}

internal sealed record TeamInfo
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

internal static class ActivityJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // As for cards: plain UTF-8, so that the size the renderer measured is the size that is sent.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The one way an inbound activity is read: text that is not text and values of the wrong JSON type are
    /// problems named by field (a 400), and null elements of lists (<c>"entities":[null]</c>) are dropped, so
    /// nothing further on meets them.
    /// </summary>
    public static (Activity? Activity, InboundProblem? Problem) Read(ReadOnlySpan<byte> body)
    {
        if (InboundJson.FindUnreadableText(body) is { } unreadable)
            return (null, unreadable);
        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body, Options);
        }
        catch (JsonException exception)
        {
            return (null, new InboundProblem(exception.Path ?? "$", "is not of the JSON type an activity has"));
        }
        if (activity is null)
            return (null, new InboundProblem("$", "is not an activity object"));
        return (activity with
        {
            MembersAdded = WithoutNulls(activity.MembersAdded),
            MembersRemoved = WithoutNulls(activity.MembersRemoved),
            Entities = WithoutNulls(activity.Entities),
            Attachments = WithoutNulls(activity.Attachments),
        }, null);
    }

    private static List<T>? WithoutNulls<T>(IReadOnlyList<T>? items) where T : class => items?.Where(item => item is not null).ToList();
}
