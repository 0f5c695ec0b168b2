using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Slack.Rendering;

/// <summary>A message rendered for Slack: the notification fallback <paramref name="Text"/> and the Block Kit blocks.</summary>
internal sealed record SlackMessagePayload(string Text, JsonArray Blocks);

/// <summary>A message that cannot be sent to Slack as it is (a button payload Slack would cut).</summary>
internal sealed class SlackRenderException(string error) : Exception(error)
{
    public string Error { get; } = error;
}

/// <summary>
/// Turns a neutral <see cref="ChatMessage"/> into Block Kit. Pure: same message, same JSON. Text is
/// escaped for mrkdwn (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>), so nothing a message relays can ping anyone; the
/// message's own <see cref="ChatMessage.People"/> become <c>&lt;@U…&gt;</c> mentions where they have a Slack user id.
/// Everything stays inside Slack's documented limits by cutting with "…", because Slack refuses the whole message
/// (<c>invalid_blocks</c>) when one element is too long.
/// </summary>
internal static class BlockKitRenderer
{
    // Limits from Slack's Block Kit reference.
    internal const int MaxBlocks = 50;
    internal const int MaxHeaderChars = 150;
    internal const int MaxSectionChars = 3000;
    internal const int MaxFieldChars = 2000;
    internal const int MaxFieldsPerSection = 10;
    internal const int MaxContextChars = 3000;
    internal const int MaxButtonsPerActions = 25;
    internal const int MaxButtonTextChars = 75;
    internal const int MaxActionIdChars = 255;
    internal const int MaxButtonValueChars = 2000;
    internal const int MaxBlockIdChars = 255;
    internal const int MaxPlaceholderChars = 150;

    /// <summary>Slack recommends keeping the top-level text under 4,000 characters; beyond 40,000 it truncates.</summary>
    internal const int MaxFallbackChars = 4000;

    internal const int MaxViewTitleChars = 24;
    internal const int MaxLabelChars = 2000;
    internal const int MaxOptionTextChars = 75;
    internal const int MaxOptionValueChars = 150;
    internal const int MaxOptions = 100;
    internal const int MaxInitialValueChars = 3000;
    internal const int MaxPrivateMetadataChars = 3000;
    internal const int MaxCallbackIdChars = 255;

    private const string Ellipsis = "…";

    /// <summary>A view (a Home tab, a modal) holds twice the blocks of a message.</summary>
    internal const int MaxViewBlocks = 100;

    /// <summary>The <c>callback_id</c> of a Home tab that shows a page (a <see cref="ChatPage"/>) rather than the usual Home.</summary>
    public const string PageCallbackId = "kudosrelay.page";

    /// <summary>The <c>action_id</c> of a page's button back to the usual Home, which the endpoints answer themselves.</summary>
    public const string HomeActionId = "kudosrelay.home";

    public static SlackMessagePayload Render(ChatMessage message) => Render(message, MaxBlocks);

    private static SlackMessagePayload Render(ChatMessage message, int maxBlocks)
    {
        var blocks = new List<JsonObject>();
        foreach (var block in message.Blocks)
            blocks.AddRange(RenderBlock(block, message.People));

        if (blocks.Count > maxBlocks)
        {
            var dropped = blocks.Count - (maxBlocks - 1);
            blocks = [.. blocks.Take(maxBlocks - 1), Context(string.Create(CultureInfo.InvariantCulture, $"{Ellipsis} ({dropped} more parts not shown)"))];
        }

        return new SlackMessagePayload(Fallback(message), new JsonArray([.. blocks]));
    }

    /// <summary>
    /// The same blocks as a Home tab view for <c>views.publish</c>. A page carries the press that made it
    /// (<paramref name="page"/>) as its <c>private_metadata</c> under <see cref="PageCallbackId"/>.
    /// </summary>
    public static JsonObject RenderHomeView(ChatMessage message, SlackPageOrigin? page = null)
    {
        var view = new JsonObject
        {
            ["type"] = "home",
            ["blocks"] = Render(message, MaxViewBlocks).Blocks,
        };
        if (page is null)
            return view;
        var metadata = page.ToMetadata();
        if (metadata.Length > MaxPrivateMetadataChars)
            throw new SlackRenderException("private_metadata_too_long");
        view["callback_id"] = PageCallbackId;
        view["private_metadata"] = metadata;
        return view;
    }

    /// <summary>
    /// A page as its Home tab shows it: a button back to the usual Home (labelled in the reader's language) above the
    /// feature's content.
    /// </summary>
    public static ChatMessage HomePage(ChatPage page) => page.Content with
    {
        Blocks = [new ButtonsBlock([new ChatButton(page.HomeLabel, HomeActionId, "")]), .. page.Content.Blocks],
    };

    /// <summary>
    /// A form as a modal for <c>views.open</c> or a <c>response_action: update</c>: the form id is the <c>callback_id</c>,
    /// its state the <c>private_metadata</c>. A form without a submit label shows only a close button. Errors on its fields
    /// are not part of a view: <see cref="Errors"/> answers a submission with them.
    /// </summary>
    public static JsonObject RenderModal(ChatForm form)
    {
        if (form.FormId.Length is 0 or > MaxCallbackIdChars)
            throw new SlackRenderException("callback_id_too_long");
        if (form.State.Length > MaxPrivateMetadataChars)
            throw new SlackRenderException("private_metadata_too_long");
        var view = new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = form.FormId,
            ["title"] = PlainText(Truncate(OneLine(form.Title), MaxViewTitleChars)),
            ["private_metadata"] = form.State,
            ["blocks"] = Render(new ChatMessage(form.Title, form.Blocks)).Blocks,
        };
        if (form.SubmitLabel is { } submit)
            view["submit"] = PlainText(Truncate(OneLine(submit), MaxViewTitleChars));
        if (form.CloseLabel is { } close)
            view["close"] = PlainText(Truncate(OneLine(close), MaxViewTitleChars));
        return view;
    }

    /// <summary>
    /// The answer to a <c>view_submission</c> whose fields need correcting: each error under the block id the
    /// field has in <paramref name="form"/> (<see cref="InputBlockId"/>).
    /// </summary>
    public static JsonObject Errors(ChatForm form)
    {
        var errors = new JsonObject();
        foreach (var input in form.Blocks.OfType<InputBlock>().Where(input => input.Error is not null))
            errors[InputBlockId(input)] = Truncate(OneLine(input.Error!), MaxSectionChars);
        return new JsonObject { ["response_action"] = "errors", ["errors"] = errors };
    }

    /// <summary>
    /// The input's id, and a short digest of its starting value when it has one: Slack keeps what a person typed in a
    /// block whose id stays the same when the view is updated, so a field the feature fills anew (a softer rewrite of
    /// the note) must come as a new block. The value always comes back under the <c>action_id</c>, which is the input's id.
    /// </summary>
    internal static string InputBlockId(InputBlock input) => input.Initial is { Length: > 0 } initial
        ? string.Create(CultureInfo.InvariantCulture, $"{input.Id}~{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(initial)).AsSpan(0, 4))}")
        : input.Id;

    private static JsonObject Input(InputBlock input)
    {
        if (input.Id.Length is 0 || InputBlockId(input).Length > MaxBlockIdChars)
            throw new SlackRenderException("action_id_too_long");
        var element = new JsonObject { ["action_id"] = input.Id };
        switch (input.Kind)
        {
            case InputKind.Text or InputKind.LongText:
                element["type"] = "plain_text_input";
                if (input.Kind == InputKind.LongText)
                    element["multiline"] = true;
                if (input.Initial is { Length: > 0 } text)
                    element["initial_value"] = Truncate(text, input.MaxLength ?? MaxInitialValueChars);
                if (input.MaxLength is { } max)
                    element["max_length"] = max;
                break;
            case InputKind.Choice:
                var options = input.Options.Take(MaxOptions).Select(Option).ToArray();
                element["type"] = "static_select";
                element["options"] = new JsonArray(options);
                if (input.Options.Take(MaxOptions).FirstOrDefault(o => o.Value == input.Initial) is { } initialOption)
                    element["initial_option"] = Option(initialOption);
                break;
            case InputKind.Person:
                element["type"] = "users_select";
                if (input.Initial is { Length: > 0 } user)
                    element["initial_user"] = user;
                break;
            case InputKind.Date:
                element["type"] = "datepicker";
                if (input.Initial is { Length: > 0 } date)
                    element["initial_date"] = date;
                break;
        }
        if (input.Placeholder is { Length: > 0 } placeholder)
            element["placeholder"] = PlainText(Truncate(OneLine(placeholder), MaxPlaceholderChars));
        return new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = InputBlockId(input),
            ["label"] = PlainText(Truncate(OneLine(input.Label), MaxLabelChars)),
            ["optional"] = input.Optional,
            ["element"] = element,
        };
    }

    private static JsonNode Option(InputOption option)
    {
        if (option.Value.Length is 0 or > MaxOptionValueChars)
            throw new SlackRenderException("option_value_too_long");
        return new JsonObject { ["text"] = PlainText(Truncate(OneLine(option.Label), MaxOptionTextChars)), ["value"] = option.Value };
    }

    /// <summary>Slack refuses a header, section or context whose text is empty, so such blocks are left out.</summary>
    private static IEnumerable<JsonObject> RenderBlock(MessageBlock block, IReadOnlyList<ChatPerson> people) => block switch
    {
        _ when IsBlank(block) => [],
        FactsBlock { Facts.Count: 0 } or ButtonsBlock { Buttons.Count: 0 } => [],
        HeadingBlock heading => [Heading(heading.Text, people)],
        TextBlock text => [Section(Mentioning(text.Text, people))],
        QuoteBlock quote => Quote(quote),
        FactsBlock facts => Facts(facts),
        ContextBlock context => [Context(Mentioning(context.Text, people))],
        ButtonsBlock buttons => Actions(buttons),
        PersonPickerBlock picker => [UsersSelect(picker)],
        // In a message there is no response_action to show an error beside the field: it follows it as small print.
        InputBlock { Error: { Length: > 0 } error } input => [Input(input), Context("⚠️ " + Escape(error))],
        InputBlock input => [Input(input)],
        _ => [],
    };

    private static bool IsBlank(MessageBlock block) => block switch
    {
        HeadingBlock heading => string.IsNullOrWhiteSpace(heading.Text),
        TextBlock text => string.IsNullOrWhiteSpace(text.Text),
        ContextBlock context => string.IsNullOrWhiteSpace(context.Text),
        QuoteBlock quote => string.IsNullOrWhiteSpace(quote.Text),
        PersonPickerBlock picker => string.IsNullOrWhiteSpace(picker.Prompt),
        InputBlock input => string.IsNullOrWhiteSpace(input.Label),
        _ => false,
    };

    /// <summary>
    /// A header is plain text and cannot mention anyone, so a heading that mentions someone with a Slack id is a bold
    /// section instead: the same line, and the person is notified.
    /// </summary>
    private static JsonObject Heading(string text, IReadOnlyList<ChatPerson> people)
    {
        var mentionsSomeone = false;
        var mrkdwn = Mention.Resolve(Escape(OneLine(text)), people, person =>
        {
            if (SlackId(person) is not { } id)
                return Escape(person.DisplayName);
            mentionsSomeone = true;
            return $"<@{id}>";
        });
        return mentionsSomeone ? Section($"*{Truncate(mrkdwn, MaxHeaderChars - 2)}*") : Header(Mention.Plain(text, people));
    }

    /// <summary>Escaped text whose mentions of the message's people are Slack mentions, or their names where they have no Slack id.</summary>
    private static string Mentioning(string text, IReadOnlyList<ChatPerson> people) =>
        Mention.Resolve(Escape(text), people, person => SlackId(person) is { } id ? $"<@{id}>" : Escape(person.DisplayName));

    private static string? SlackId(ChatPerson person) => person.UserIds.GetValueOrDefault(SlackChatSender.PlatformName);

    private static JsonObject Header(string text) => new()
    {
        ["type"] = "header",
        ["text"] = PlainText(Truncate(OneLine(text), MaxHeaderChars)),
    };

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = Mrkdwn(Truncate(mrkdwn, MaxSectionChars)),
    };

    private static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray(Mrkdwn(Truncate(mrkdwn, MaxContextChars))),
    };

    private static IEnumerable<JsonObject> Quote(QuoteBlock quote)
    {
        var lines = Escape(quote.Text).ReplaceLineEndings("\n").Split('\n');
        var quoted = string.Join('\n', lines.Select(line => "> " + line));
        yield return Section(quoted);
        if (!string.IsNullOrWhiteSpace(quote.Attribution))
            yield return Context("— " + Escape(quote.Attribution));
    }

    private static IEnumerable<JsonObject> Facts(FactsBlock facts)
    {
        foreach (var chunk in facts.Facts.Chunk(MaxFieldsPerSection))
        {
            var fields = chunk.Select(f => (JsonNode)Mrkdwn(Truncate($"*{Escape(OneLine(f.Label))}*\n{Escape(f.Value)}", MaxFieldChars)));
            yield return new JsonObject { ["type"] = "section", ["fields"] = new JsonArray([.. fields]) };
        }
    }

    private static IEnumerable<JsonObject> Actions(ButtonsBlock buttons)
    {
        foreach (var chunk in buttons.Buttons.Chunk(MaxButtonsPerActions))
        {
            var elements = chunk.Select(Button).ToArray();
            yield return new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(elements) };
        }
    }

    private static JsonNode Button(ChatButton button)
    {
        CheckFits(button.ActionId, button.Payload, MaxButtonValueChars, "button_value_too_long");

        var element = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(Truncate(OneLine(string.IsNullOrWhiteSpace(button.Label) ? button.ActionId : button.Label), MaxButtonTextChars)),
            ["action_id"] = button.ActionId,
        };
        if (button.Payload.Length > 0)
            element["value"] = button.Payload;
        if (button.Style != ButtonStyle.Default)
            element["style"] = button.Style == ButtonStyle.Primary ? "primary" : "danger";
        return element;
    }

    /// <summary>
    /// A section with a <c>users_select</c>: picking someone sends <c>block_actions</c> at once, with the
    /// user in <c>selected_user</c>. A select has no value of its own, so the payload rides in the
    /// <c>block_id</c>, which Slack sends back with the action.
    /// </summary>
    private static JsonObject UsersSelect(PersonPickerBlock picker)
    {
        var submit = picker.Submit;
        CheckFits(submit.ActionId, submit.Payload, MaxBlockIdChars, "block_id_too_long");

        var section = new JsonObject
        {
            ["type"] = "section",
            ["text"] = Mrkdwn(Truncate(Escape(picker.Prompt), MaxSectionChars)),
            ["accessory"] = new JsonObject
            {
                ["type"] = "users_select",
                ["action_id"] = submit.ActionId,
                ["placeholder"] = PlainText(Truncate(OneLine(picker.Placeholder), MaxPlaceholderChars)),
            },
        };
        if (submit.Payload.Length > 0)
            section["block_id"] = submit.Payload;
        return section;
    }

    /// <summary>Truncating an action id or payload would hand the feature something it never wrote: refuse instead.</summary>
    private static void CheckFits(string actionId, string payload, int maxPayload, string payloadError)
    {
        if (actionId.Length is 0 or > MaxActionIdChars)
            throw new SlackRenderException("action_id_too_long");
        if (payload.Length > maxPayload)
            throw new SlackRenderException(payloadError);
    }

    private static string Fallback(ChatMessage message)
    {
        var text = message.Summary;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = message.Blocks.Select(b => b switch
            {
                HeadingBlock h => Mention.Plain(h.Text, message.People),
                TextBlock t => Mention.Plain(t.Text, message.People),
                _ => null,
            }).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? "KudosRelay";
        }
        return Truncate(Escape(text), MaxFallbackChars);
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    /// <summary>
    /// Escapes Slack's three control characters, so that text is shown as written: a "&lt;@U…&gt;" or "&lt;!channel&gt;"
    /// in a customer's words pings nobody. Mentions come only from <see cref="ChatMessage.People"/>.
    /// </summary>
    internal static string Escape(string text) =>
        new StringBuilder(text.Length + 16)
            .Append(text)
            .Replace("&", "&amp;")
            .Replace("<", "&lt;")
            .Replace(">", "&gt;")
            .ToString();

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Cuts to at most <paramref name="max"/> characters, ending with "…"; never splits a surrogate pair, an escape or a mention.</summary>
    internal static string Truncate(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var cut = max - Ellipsis.Length;
        if (char.IsLowSurrogate(text[cut]))
            cut--;
        var amp = text.LastIndexOf('&', cut - 1, Math.Min(cut, 6));
        if (amp >= 0 && text.IndexOf(';', amp) >= cut)
            cut = amp;
        // Escaped text holds no other "<": one here opens a mention ("<@W" and up to 20 characters, then ">").
        var mention = text.LastIndexOf('<', cut - 1, Math.Min(cut, 24));
        if (mention >= 0 && text.IndexOf('>', mention) >= cut)
            cut = mention;
        return string.Concat(text.AsSpan(0, cut), Ellipsis);
    }
}
