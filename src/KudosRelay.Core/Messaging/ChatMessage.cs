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
