using System.Text.Json;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// An Events API request body, <c>url_verification</c> or <c>event_callback</c>: only the fields KudosRelay
/// reads, in one forward pass of <see cref="Utf8JsonReader"/> that skips everything else (blocks,
/// authorizations, …). A field of an unexpected JSON kind is skipped too, so events whose <c>user</c> is an
/// object (<c>team_join</c>) are acknowledged rather than refused. A body with unreadable text, or an
/// <c>event_time</c> that is not whole seconds, is read no further and says why in <see cref="Problem"/>.
/// </summary>
internal sealed class SlackEventEnvelope
{
    public string? Type { get; private set; }
    public string? Challenge { get; private set; }
    public string? TeamId { get; private set; }
    public string? EventId { get; private set; }

    /// <summary>When Slack says the event happened (unix seconds); a retry keeps its original time.</summary>
    public long? EventTime { get; private set; }

    public SlackEvent? Event { get; private set; }

    /// <summary>Why the event cannot be used, naming the field; null when it can.</summary>
    public InboundProblem? Problem { get; private set; }

    /// <summary>The envelope, or null when the body is not a JSON object.</summary>
    public static SlackEventEnvelope? Parse(ReadOnlySpan<byte> json)
    {
        if (InboundJson.FindUnreadableText(json) is { } unreadable)
            return unreadable.Field == "$" ? null : new SlackEventEnvelope { Problem = unreadable };
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            var envelope = new SlackEventEnvelope();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    envelope.Event = reader.TokenType == JsonTokenType.StartObject ? SlackEvent.Read(ref reader) : Skip(ref reader);
                }
                else if (reader.ValueTextEquals("event_time"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds))
                        envelope.EventTime = seconds;
                    else
                    {
                        reader.Skip();
                        envelope.Problem ??= new InboundProblem("event_time", "is not whole unix seconds");
                    }
                }
                else if (reader.ValueTextEquals("type"u8))
                    envelope.Type = ReadString(ref reader);
                else if (reader.ValueTextEquals("event_id"u8))
                    envelope.EventId = ReadString(ref reader);
                else if (reader.ValueTextEquals("team_id"u8))
                    envelope.TeamId = ReadString(ref reader);
                else if (reader.ValueTextEquals("challenge"u8))
                    envelope.Challenge = ReadString(ref reader);
                else
                    SkipValue(ref reader);
            }
            return reader.TokenType == JsonTokenType.EndObject ? envelope : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>When the event happened, or null when <see cref="EventTime"/> names no time Slack could have sent.</summary>
    public DateTimeOffset? EventTimeCheckedAgainst(DateTimeOffset now) =>
        EventTime is { } seconds ? InboundJson.FromUnixSeconds(seconds, now) : now;

    /// <summary>Moves to the property's value and returns it when it is a string; skips it otherwise.</summary>
    internal static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        reader.Skip();
        return null;
    }

    internal static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static SlackEvent? Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}

/// <summary>The inner <c>event</c> of an <c>event_callback</c>.</summary>
internal sealed class SlackEvent
{
    public string? Type { get; private set; }
    public string? Subtype { get; private set; }
    public string? User { get; private set; }
    public string? Text { get; private set; }
    public string? Channel { get; private set; }
    public string? ChannelType { get; private set; }
    public string? Team { get; private set; }
    public string? BotId { get; private set; }
    public string? Tab { get; private set; }

    /// <summary>The <c>callback_id</c> of the Home view an <c>app_home_opened</c> shows (the view last published there).</summary>
    public string? ViewCallbackId { get; private set; }

    /// <summary>The <c>private_metadata</c> of that view.</summary>
    public string? ViewPrivateMetadata { get; private set; }

    /// <summary>How many bot tokens a <c>tokens_revoked</c> event lists.</summary>
    public int RevokedBotTokens { get; private set; }

    /// <summary>Reads the object the reader stands at the start of, up to and including its end.</summary>
    internal static SlackEvent Read(ref Utf8JsonReader reader)
    {
        var inner = new SlackEvent();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
                inner.Type = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("user"u8))
                inner.User = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("text"u8))
                inner.Text = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("channel"u8))
                inner.Channel = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("channel_type"u8))
                inner.ChannelType = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("subtype"u8))
                inner.Subtype = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("bot_id"u8))
                inner.BotId = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("team"u8))
                inner.Team = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("tab"u8))
                inner.Tab = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("tokens"u8))
                inner.RevokedBotTokens = CountBotTokens(ref reader);
            else if (reader.ValueTextEquals("view"u8))
                inner.ReadView(ref reader);
            else
                SlackEventEnvelope.SkipValue(ref reader);
        }
        return inner;
    }

    /// <summary><c>"view": { "callback_id": …, "private_metadata": …, "blocks": [...], … }</c>: the two fields that tell a page apart.</summary>
    private void ReadView(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("callback_id"u8))
                ViewCallbackId = SlackEventEnvelope.ReadString(ref reader);
            else if (reader.ValueTextEquals("private_metadata"u8))
                ViewPrivateMetadata = SlackEventEnvelope.ReadString(ref reader);
            else
                SkipValue(ref reader);
        }
    }

    /// <summary><c>"tokens": { "oauth": [...], "bot": [...] }</c> → the length of <c>bot</c>.</summary>
    private static int CountBotTokens(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("bot"u8))
            {
                SkipValue(ref reader);
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
                count++;
            }
        }
        return count;
    }

    private static void SkipValue(ref Utf8JsonReader reader) => SlackEventEnvelope.SkipValue(ref reader);
}
