using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Teams.Rendering;

/// <summary>
/// Turns a neutral <see cref="ChatMessage"/> into an Adaptive Card 1.5 (<c>adaptive-card.schema.1.5.json</c>), or 1.6
/// when it holds a people picker, whose <c>choices.data</c> (<c>Data.Query</c>) the 1.6 schema defines:
/// wrapped TextBlocks, a FactSet, quotes in an emphasis container, buttons as <c>Action.Execute</c>
/// (Universal Actions) whose verb is the button's action id and whose data carries its payload.
/// The message's <see cref="ChatMessage.People"/> with a Teams id are mentioned: <c>&lt;at&gt;name&lt;/at&gt;</c> in the
/// text and a mention entity under the card's <c>msteams</c> (Teams "Mention support within Adaptive Cards").
/// Pure: no I/O, no clock.
/// </summary>
internal static class AdaptiveCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The key in <c>Action.Execute</c> data that carries <see cref="ChatButton.Payload"/>.</summary>
    public const string PayloadKey = "payload";

    /// <summary>The id of a people picker's input, so its value (an Azure AD object id) arrives in the action's data under this key.</summary>
    public const string PickedPersonKey = "pickedPerson";

    /// <summary>Teams' people picker searches the whole organisation's directory (Teams "People Picker in Adaptive Cards").</summary>
    private const string PeopleDataset = "graph.microsoft.com/users";

    /// <summary>Teams refuses activities over about 28 KB; the card leaves room for the activity around it.</summary>
    public const int MaxCardBytes = 26 * 1024;

    /// <summary>
    /// The longest <c>fallbackText</c> and activity <c>summary</c> (a notification's preview line): the whole text is in
    /// the card, and a long summary twice over would push the activity past Teams' 28 KB.
    /// </summary>
    public const int PreviewLength = 200;

    /// <summary>
    /// Cards travel as UTF-8 JSON, never inside HTML: escaping every apostrophe and non-ASCII letter
    /// as \uXXXX would only make them bigger and eat into the 28 KB.
    /// </summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Indented = new(Wire) { WriteIndented = true };

    private const int ShortestTruncation = 40;
    private const string Ellipsis = "…";

    public static JsonObject Render(ChatMessage message)
    {
        // Cut the longest texts until the card fits; almost every card fits at the first try.
        var limit = int.MaxValue;
        while (true)
        {
            var card = Build(message, limit);
            var size = Encoding.UTF8.GetByteCount(card.ToJsonString(Wire));
            if (size <= MaxCardBytes)
                return card;
            if (limit <= ShortestTruncation)
            {
                // Even short texts do not fit: many blocks. Keep the first half and say that something is missing.
                if (message.Blocks.Count <= 2)
                    return card;
                var kept = message.Blocks.Take(message.Blocks.Count / 2).Append(new ContextBlock(Ellipsis)).ToList();
                return Render(message with { Blocks = kept });
            }
            limit = Math.Max(ShortestTruncation, Math.Min(limit, LongestText(message)) * 3 / 4);
        }
    }

    private static JsonObject Build(ChatMessage message, int limit)
    {
        var mentions = new CardMentions(message.People, limit);
        var body = new JsonArray();
        // A card with fields sends them with every button, so that "Done" carries the note typed above it.
        var hasInputs = message.Blocks.Any(block => block is InputBlock);
        foreach (var block in message.Blocks)
            foreach (var element in Elements(block, limit, mentions, hasInputs))
                body.Add(element);
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = message.Blocks.Any(block => block is PersonPickerBlock) ? "1.6" : "1.5",
            ["fallbackText"] = Cut(message.Summary, Math.Min(limit, PreviewLength)),
            ["body"] = body,
        };
        if (mentions.Entities() is { Count: > 0 } entities)
            card["msteams"] = new JsonObject { ["entities"] = entities };
        return card;
    }

    private static JsonObject[] Elements(MessageBlock block, int limit, CardMentions mentions, bool hasInputs) => block switch
    {
        HeadingBlock heading => [Text(mentions.Write(heading.Text), size: "Large", weight: "Bolder", style: "heading")],
        TextBlock text => [Text(mentions.Write(text.Text))],
        QuoteBlock quote => [Quote(quote, limit)],
        FactsBlock facts => [FactSet(facts, limit)],
        ContextBlock context => [Text(mentions.Write(context.Text), size: "Small", subtle: true)],
        ButtonsBlock buttons => [Actions(buttons, limit, takesInputs: hasInputs)],
        PersonPickerBlock picker => [PeoplePicker(picker, limit), Actions(new ButtonsBlock([picker.Submit]), limit, takesInputs: true)],
        InputBlock input => Input(input, limit),
        _ => [],
    };

    /// <summary>
    /// A field (<c>Input.Text</c>, <c>Input.ChoiceSet</c>, the people picker, <c>Input.Date</c>) whose value arrives in the
    /// <c>Action.Execute</c> data under its id. An error from the feature follows it in the attention colour: Teams shows
    /// <c>errorMessage</c> only for its own checks.
    /// </summary>
    private static JsonObject[] Input(InputBlock input, int limit)
    {
        var element = new JsonObject { ["id"] = input.Id, ["label"] = Cut(input.Label, limit), ["isRequired"] = !input.Optional };
        switch (input.Kind)
        {
            case InputKind.Text or InputKind.LongText:
                element["type"] = "Input.Text";
                if (input.Kind == InputKind.LongText)
                    element["isMultiline"] = true;
                if (input.MaxLength is { } max)
                    element["maxLength"] = max;
                break;
            case InputKind.Choice:
                element["type"] = "Input.ChoiceSet";
                element["style"] = "compact";
                element["choices"] = new JsonArray([.. input.Options.Select(option => (JsonNode)new JsonObject { ["title"] = Cut(option.Label, limit), ["value"] = option.Value })]);
                break;
            case InputKind.Person:
                element["type"] = "Input.ChoiceSet";
                element["choices"] = new JsonArray();
                element["choices.data"] = new JsonObject { ["type"] = "Data.Query", ["dataset"] = PeopleDataset };
                break;
            case InputKind.Date:
                element["type"] = "Input.Date";
                break;
        }
        if (input.Initial is { Length: > 0 } initial)
            element["value"] = initial;
        if (input.Placeholder is { Length: > 0 } placeholder)
            element["placeholder"] = Cut(placeholder, limit);
        if (input.Error is not { Length: > 0 } error)
            return [element];
        element["errorMessage"] = Cut(error, limit);
        var shown = Text(Cut(error, limit), size: "Small");
        shown["color"] = "attention";
        return [element, shown];
    }

    /// <summary>The text of one TextBlock, already cut to the card's limit.</summary>
    private static JsonObject Text(string text, string? size = null, string? weight = null, string? style = null, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (style is not null)
            block["style"] = style;
        if (size is not null)
            block["size"] = size;
        if (weight is not null)
            block["weight"] = weight;
        if (subtle)
            block["isSubtle"] = true;
        return block;
    }

    private static JsonObject Quote(QuoteBlock quote, int limit)
    {
        var items = new JsonArray { Text(Cut(quote.Text, limit)) };
        if (quote.Attribution is { Length: > 0 } attribution)
            items.Add(Text(Cut($"— {attribution}", limit), size: "Small", subtle: true));
        return new JsonObject { ["type"] = "Container", ["style"] = "emphasis", ["bleed"] = false, ["items"] = items };
    }

    private static JsonObject FactSet(FactsBlock facts, int limit) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray(facts.Facts.Select(fact => (JsonNode)new JsonObject
        {
            ["title"] = Cut(fact.Label, limit),
            ["value"] = Cut(fact.Value, limit),
        }).ToArray()),
    };

    /// <summary>
    /// Buttons; only a picker's own button sends (and so validates) the card's inputs, so that another button on
    /// the card never complains about a picker left empty.
    /// </summary>
    private static JsonObject Actions(ButtonsBlock buttons, int limit, bool takesInputs) => new()
    {
        ["type"] = "ActionSet",
        ["actions"] = new JsonArray(buttons.Buttons.Select(button =>
        {
            var action = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["title"] = Cut(button.Label, limit),
                ["verb"] = button.ActionId,
                ["data"] = new JsonObject { [PayloadKey] = button.Payload },
                ["associatedInputs"] = takesInputs ? "auto" : "none",
            };
            if (button.Style != ButtonStyle.Default)
                action["style"] = button.Style == ButtonStyle.Primary ? "positive" : "destructive";
            return (JsonNode)action;
        }).ToArray()),
    };

    /// <summary>
    /// An <c>Input.ChoiceSet</c> with <c>choices.data</c>: Teams' people picker. Its <c>Data.Query</c>
    /// is an Adaptive Cards 1.6 element, so a card holding it declares 1.6; the chosen person's object
    /// id travels with the <c>Action.Execute</c> that follows it.
    /// </summary>
    private static JsonObject PeoplePicker(PersonPickerBlock picker, int limit) => new()
    {
        ["type"] = "Input.ChoiceSet",
        ["id"] = PickedPersonKey,
        ["label"] = Cut(picker.Prompt, limit),
        ["placeholder"] = Cut(picker.Placeholder, limit),
        ["choices"] = new JsonArray(),
        ["choices.data"] = new JsonObject { ["type"] = "Data.Query", ["dataset"] = PeopleDataset },
    };

    /// <summary>A short preview of <paramref name="summary"/> for notifications and clients that cannot show the card.</summary>
    public static string Preview(string summary) => Cut(summary, PreviewLength);

    private static string Cut(string text, int limit) =>
        text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1).TrimEnd(), Ellipsis);

    private static int LongestText(ChatMessage message) => message.Blocks.Select(block => block switch
    {
        HeadingBlock heading => heading.Text.Length,
        TextBlock text => text.Text.Length,
        QuoteBlock quote => Math.Max(quote.Text.Length, quote.Attribution?.Length ?? 0),
        FactsBlock facts => facts.Facts.Select(fact => Math.Max(fact.Label.Length, fact.Value.Length)).DefaultIfEmpty(0).Max(),
        ContextBlock context => context.Text.Length,
        ButtonsBlock buttons => buttons.Buttons.Select(b => b.Label.Length).DefaultIfEmpty(0).Max(),
        PersonPickerBlock picker => Math.Max(picker.Prompt.Length, Math.Max(picker.Placeholder.Length, picker.Submit.Label.Length)),
        InputBlock input => new[] { input.Label.Length, input.Placeholder?.Length ?? 0, input.Error?.Length ?? 0 }.Concat(input.Options.Select(o => o.Label.Length)).Max(),
        _ => 0,
    }).Append(message.Summary.Length).Max();

    /// <summary>
    /// The mentions of one card: a person with a Teams id (their Azure AD object id, which Teams accepts as
    /// <c>mentioned.id</c> in Adaptive Cards) is written <c>&lt;at&gt;name&lt;/at&gt;</c> and gets one entity whose text
    /// is exactly that; anyone else is written by name. A cut never splits a mention, and only mentions left in
    /// the card get an entity.
    /// </summary>
    private sealed class CardMentions(IReadOnlyList<ChatPerson> people, int limit)
    {
        private const string Open = "<at>";
        private const string Close = "</at>";

        private readonly Dictionary<string, string> written = new(StringComparer.Ordinal);
        private readonly List<(string Text, string Id, string Name)> entities = [];

        public string Write(string text)
        {
            var resolved = Mention.Resolve(text, people, At);
            var cut = resolved.Length <= limit ? resolved : CutOutsideMentions(resolved);
            foreach (var (at, id) in written)
                if (cut.Contains(at, StringComparison.Ordinal) && !entities.Exists(e => e.Text == at))
                    entities.Add((at, id, at[Open.Length..^Close.Length]));
            return cut;
        }

        public JsonArray Entities() => new([.. entities.Select(e => (JsonNode)new JsonObject
        {
            ["type"] = "mention",
            ["text"] = e.Text,
            ["mentioned"] = new JsonObject { ["id"] = e.Id, ["name"] = e.Name },
        })]);

        private string At(ChatPerson person)
        {
            if (person.UserIds.GetValueOrDefault(TeamsChatSender.PlatformName) is not { Length: > 0 } id)
                return person.DisplayName;
            var at = $"{Open}{person.DisplayName}{Close}";
            written.TryAdd(at, id);
            return at;
        }

        private string CutOutsideMentions(string text)
        {
            var cut = Math.Max(0, limit - 1);
            var open = -1;
            for (var at = text.IndexOf(Open, StringComparison.Ordinal); at >= 0 && at < cut; at = text.IndexOf(Open, at + 1, StringComparison.Ordinal))
                open = at;
            if (open >= 0 && text.IndexOf(Close, open, StringComparison.Ordinal) is var close and >= 0 && close + Close.Length > cut)
                cut = open;
            return string.Concat(text.AsSpan(0, cut).TrimEnd(), Ellipsis);
        }
    }

    /// <summary>Serialised as Teams expects it in an attachment or an invoke response.</summary>
    public static string ToJson(JsonObject card) => card.ToJsonString(Indented);
}
