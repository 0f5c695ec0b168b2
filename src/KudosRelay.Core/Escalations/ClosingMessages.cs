using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Escalations;

/// <summary>What people read when an escalation ends: the requester hears who helped, the helper is thanked, old nudges say it is done.</summary>
internal static class ClosingMessages
{
    private const string Feature = "Escalations";

    private static Texts Texts(string? locale) => MessageCatalogue.Current.For(Feature, locale);

    public static ChatMessage ResolvedForRequester(ResolvedCase resolved)
    {
        var t = Texts(resolved.Requester.Locale);
        var values = Values(resolved);
        var blocks = new List<MessageBlock>
        {
            new HeadingBlock(t.Format("closing.resolved.requester.heading", values)),
            new TextBlock(t.Format("closing.resolved.requester.text", values)),
        };
        if (resolved.Note is { } note)
            blocks.Add(new QuoteBlock(note, resolved.Resolver.DisplayName));
        blocks.Add(new ContextBlock(t.Format("closing.case", ("case", resolved.Escalation.CaseRef))));
        return new ChatMessage(t.Format("closing.resolved.requester.summary", values), blocks);
    }

    public static ChatMessage ThanksForResolving(ResolvedCase resolved)
    {
        var t = Texts(resolved.Resolver.Locale);
        var values = Values(resolved);
        return new ChatMessage(t.Format("closing.thanks.summary", values),
        [
            new HeadingBlock(t.Format("closing.thanks.heading", values)),
            new TextBlock(t.Format("closing.thanks.text", values)),
            new ContextBlock(t.Format("closing.thanks.digest", values)),
        ]);
    }

    /// <summary>What a nudge about a resolved escalation turns into: who resolved it, no buttons.</summary>
    public static ChatMessage NudgeResolved(ResolvedCase resolved, string locale)
    {
        var t = Texts(locale);
        var values = Values(resolved);
        return new ChatMessage(t.Format("closing.nudge.resolved.summary", values),
        [
            new TextBlock(t.Format("closing.nudge.resolved.text", values)),
            new ContextBlock(t.Format("closing.case-summary", ("case", resolved.Escalation.CaseRef), ("summary", resolved.Escalation.Summary))),
        ]);
    }

    public static ChatMessage NudgeCancelled(Escalation escalation, string locale)
    {
        var t = Texts(locale);
        return new ChatMessage(t.Format("closing.nudge.cancelled.summary", ("case", escalation.CaseRef)),
        [
            new TextBlock(t.Format("closing.nudge.cancelled.text", ("case", escalation.CaseRef))),
            new ContextBlock(t.Format("closing.case-summary", ("case", escalation.CaseRef), ("summary", escalation.Summary))),
        ]);
    }

    private static (string Name, object? Value)[] Values(ResolvedCase resolved) =>
    [
        ("resolver", resolved.Resolver.DisplayName),
        ("resolver-first", resolved.Resolver.FirstName),
        ("requester", resolved.Requester.DisplayName),
        ("requester-first", resolved.Requester.FirstName),
        ("department", resolved.Department.Name),
        ("case", resolved.Escalation.CaseRef),
        ("summary", resolved.Escalation.Summary),
    ];
}
