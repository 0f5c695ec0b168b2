using System.Text.Json.Serialization;

namespace KudosRelay.Core.Messaging;

/// <summary>
/// A platform-neutral message. Features build these; each platform's renderer turns them into
/// Block Kit, an Adaptive Card or readable text. <paramref name="Summary"/> is the plain-text
/// fallback every platform shows in notifications.
/// </summary>
public sealed record ChatMessage(string Summary, IReadOnlyList<MessageBlock> Blocks)
{
    /// <summary>
    /// The people its headings, texts and context lines mention with <see cref="Mention.Of"/>. Empty in messages
    /// stored before mentions existed, which read as they always did.
    /// </summary>
    public IReadOnlyList<ChatPerson> People { get; init; } = [];
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeadingBlock), "heading")]
[JsonDerivedType(typeof(TextBlock), "text")]
[JsonDerivedType(typeof(QuoteBlock), "quote")]
[JsonDerivedType(typeof(FactsBlock), "facts")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ButtonsBlock), "buttons")]
[JsonDerivedType(typeof(PersonPickerBlock), "person-picker")]
[JsonDerivedType(typeof(InputBlock), "input")]
public abstract record MessageBlock;

public sealed record HeadingBlock(string Text) : MessageBlock;

public sealed record TextBlock(string Text) : MessageBlock;

public sealed record QuoteBlock(string Text, string? Attribution) : MessageBlock;

public sealed record Fact(string Label, string Value);

public sealed record FactsBlock(IReadOnlyList<Fact> Facts) : MessageBlock;

/// <summary>Small print under the main content: why the reader got this, when it happened.</summary>
public sealed record ContextBlock(string Text) : MessageBlock;

public sealed record ButtonsBlock(IReadOnlyList<ChatButton> Buttons) : MessageBlock;

public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

/// <summary>A button whose <paramref name="ActionId"/> and <paramref name="Payload"/> come back to the feature when clicked.</summary>
public sealed record ChatButton(string Label, string ActionId, string Payload, ButtonStyle Style = ButtonStyle.Default);

/// <summary>
/// Choose one colleague from the organisation's directory, then act on them: the choice comes back as
/// a <c>ButtonPressed</c> with <see cref="Submit"/>'s action id and payload and the chosen person in
/// <c>Picked</c>. <paramref name="Prompt"/> says what the choice is for.
/// </summary>
public sealed record PersonPickerBlock(string Prompt, string Placeholder, ChatButton Submit) : MessageBlock;

public enum InputKind
{
    /// <summary>One line of text.</summary>
    Text,

    /// <summary>Several lines of text (a note).</summary>
    LongText,

    /// <summary>One of <see cref="InputBlock.Options"/>; the value is the option's value.</summary>
    Choice,

    /// <summary>A colleague from the platform's directory; the value is their user id on the reader's platform.</summary>
    Person,

    /// <summary>A calendar day; the value is <c>yyyy-MM-dd</c>.</summary>
    Date,
}

public sealed record InputOption(string Value, string Label);

/// <summary>
/// A field the reader fills in. What they entered comes back keyed by <paramref name="Id"/>: in
/// <c>ButtonPressed.Inputs</c> when a button of the same message is pressed, in <c>FormSubmitted.Values</c> for a form.
/// An empty field comes back absent. <see cref="Error"/> is shown beside the field (a form returned with what to correct).
/// </summary>
public sealed record InputBlock(string Id, string Label, InputKind Kind = InputKind.Text, bool Optional = false) : MessageBlock
{
    public string? Placeholder { get; init; }

    /// <summary>The value the field starts with (for a <see cref="InputKind.Choice"/>, an option's value).</summary>
    public string? Initial { get; init; }

    public IReadOnlyList<InputOption> Options { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>Longest text accepted (<see cref="InputKind.Text"/> and <see cref="InputKind.LongText"/>).</summary>
    public int? MaxLength { get; init; }
}
