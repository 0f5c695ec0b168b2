using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KudosRelay.Core.Conversations;
using KudosRelay.Teams.Rendering;

namespace KudosRelay.Teams.Inbound;

/// <summary>Turns a verified Teams activity into a neutral <see cref="ChatRequest"/>. Pure.</summary>
internal static partial class ActivityTranslator
{
    public static ChatUser From(Activity activity) => new(
        TeamsChatSender.PlatformName,
        activity.TenantId,
        activity.From?.AadObjectId is { Length: > 0 } aad ? aad : activity.From?.Id ?? "",
        activity.From?.Name);

    /// <summary>
    /// A message: the bot's own <c>&lt;at&gt;</c> mention is dropped; <c>kudos @person text</c> takes the
    /// person from the mention entity (<paramref name="aadIdOf"/> maps a <c>29:</c> id to an object id
    /// when the mention carries none).
    /// </summary>
    public static ChatRequest ToRequest(Activity activity, Func<string, string?> aadIdOf)
    {
        var from = From(activity);
        var botId = activity.Recipient?.Id;
        var mentions = (activity.Entities ?? []).Where(e => e.Type == "mention" && e.Mentioned?.Id is { Length: > 0 }).ToList();
        var text = activity.Text ?? "";
        foreach (var mention in mentions.Where(m => m.Mentioned!.Id == botId && m.Text is { Length: > 0 }))
            text = text.Replace(mention.Text!, " ", StringComparison.Ordinal);
        text = Clean(text);

        var (command, remainder) = SplitFirstWord(text);
        switch (command.ToLowerInvariant())
        {
            case "help" or "?" or "":
                return new ChatRequest.Help(from);
            case "settings":
                return new ChatRequest.Settings(from);
            case "escalate":
                return new ChatRequest.FormRequested(from, ChatForms.Escalate);
            case "kudos":
                var person = mentions.FirstOrDefault(m => m.Mentioned!.Id != botId);
                if (person is null)
                    return new ChatRequest.Help(from, text);
                var said = Clean(person.Text is { Length: > 0 } at ? RemoveFirst(remainder, Clean(at)) : remainder);
                var mentioned = person.Mentioned!;
                var to = new ChatUser(TeamsChatSender.PlatformName, activity.TenantId,
                    mentioned.AadObjectId is { Length: > 0 } aad ? aad : aadIdOf(mentioned.Id!) ?? mentioned.Id!, mentioned.Name);
                return said.Length == 0 ? new ChatRequest.Help(from, text) : new ChatRequest.PeerKudos(from, to, said);
            default:
                return new ChatRequest.Help(from, text);
        }
    }

    /// <summary>
    /// An <c>adaptiveCard/action</c> invoke (<c>universal-action-model.md</c>): the verb is the action id;
    /// the payload is the <c>payload</c> our renderer put in the data, or the data itself as JSON.
    /// Null when the invoke is not an <c>Action.Execute</c> with a verb.
    /// </summary>
    public static ChatRequest.ButtonPressed? ToButtonPressed(Activity activity)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("verb", out var verbElement) || verbElement.ValueKind != JsonValueKind.String
            || verbElement.GetString() is not { Length: > 0 } verb)
            return null;
        var payload = "";
        ChatUser? picked = null;
        Dictionary<string, string>? inputs = null;
        if (action.TryGetProperty("data", out var data))
        {
            payload = data.ValueKind == JsonValueKind.Object && data.TryGetProperty(AdaptiveCardRenderer.PayloadKey, out var ours) && ours.ValueKind == JsonValueKind.String
                ? ours.GetString()!
                : data.ValueKind == JsonValueKind.String ? data.GetString()! : data.GetRawText();
            // Inputs arrive merged into the data, keyed by their id: the people picker's value is an object id.
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty(AdaptiveCardRenderer.PickedPersonKey, out var person)
                && person.ValueKind == JsonValueKind.String && person.GetString() is { Length: > 0 } aadObjectId)
                picked = new ChatUser(TeamsChatSender.PlatformName, activity.TenantId, aadObjectId);
            if (data.ValueKind == JsonValueKind.Object)
                inputs = Inputs(data);
        }
        // The card's own message id: the same for every press of a card updated in place.
        return new ChatRequest.ButtonPressed(From(activity), verb, payload, picked, inputs is { Count: > 0 } ? inputs : null, activity.ReplyToId is { Length: > 0 } id ? id : null);
    }

    /// <summary>The card's other inputs, merged into the data by their ids (Adaptive Cards send every value as a string).</summary>
    private static Dictionary<string, string> Inputs(JsonElement data)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
            if (property.Name is not (AdaptiveCardRenderer.PayloadKey or AdaptiveCardRenderer.PickedPersonKey)
                && property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } value)
                inputs[property.Name] = value;
        return inputs;
    }

    private static string RemoveFirst(string text, string part)
    {
        var at = part.Length == 0 ? -1 : text.IndexOf(part, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), " ", text.AsSpan(at + part.Length));
    }

    private static (string Command, string Remainder) SplitFirstWord(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..]);
    }

    /// <summary>Teams sends message text as light HTML: tags go, entities are decoded, whitespace is collapsed.</summary>
    private static string Clean(string text) =>
        Whitespace().Replace(WebUtility.HtmlDecode(Tags().Replace(text, " ")), " ").Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
