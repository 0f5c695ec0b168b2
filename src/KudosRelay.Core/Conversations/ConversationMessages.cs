using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Conversations;

/// <summary>
/// The bot's own words when people talk to it: help, settings, and the answers to misunderstandings, in the
/// language of the person who asked (<c>Conversations/Messages/{language}.yaml</c>).
/// </summary>
internal static class ConversationMessages
{
    public static ChatMessage Help(string? locale, string? unrecognised)
    {
        var t = Texts(locale);
        return new(
            t["help.summary"],
            [
                .. unrecognised is { Length: > 0 }
                    ? new MessageBlock[] { new TextBlock(t.Format("help.not-understood", ("text", Shorten(unrecognised)))) }
                    : [],
                .. WhatIDo(t),
                new ContextBlock(t["help.admin"]),
            ]);
    }

    /// <summary>The bot's home: what it does, then <paramref name="recentPraise"/> (the reader's own, when there is any).</summary>
    public static ChatMessage Home(string? locale, IReadOnlyList<MessageBlock> recentPraise)
    {
        var t = Texts(locale);
        return new(t["home.summary"], [.. WhatIDo(t), .. recentPraise, new ContextBlock(t["home.write-to-me"])]);
    }

    /// <summary>The label of the way from a page (<see cref="ChatPage"/>) back to the usual home.</summary>
    public static string HomeLabel(string? locale) => Texts(locale)["home.back.button"];

    private static MessageBlock[] WhatIDo(Texts t) =>
    [
        new HeadingBlock("KudosRelay"),
        new TextBlock(t["help.intro"]),
        new FactsBlock([
            new Fact(t["help.kudos.command"], t["help.kudos"]),
            new Fact("settings", t["help.settings"]),
            new Fact("help", t["help.help"]),
        ]),
    ];

    public static ChatMessage Settings(Person person, IReadOnlyList<Membership> memberships, IReadOnlyList<ChatIdentity> identities)
    {
        var t = Texts(person.Locale);
        return new(
            t.Format("settings.summary", ("name", person.FirstName)),
            [
                new HeadingBlock(t["settings.heading"]),
                new FactsBlock([
                    new Fact(t["settings.name"], person.DisplayName),
                    new Fact(t["settings.time-zone"], person.TimeZone),
                    new Fact(t["settings.language"], LanguageName(person.Locale)),
                    new Fact(t["settings.teams"], Names(t, memberships, "team")),
                    new Fact(t["settings.departments"], Names(t, memberships, "department")),
                    new Fact(t["settings.reachable-on"], string.Join(", ", identities.Select(i => i.Platform))),
                ]),
                new ContextBlock(t["settings.footer"]),
            ]);
    }

    public static ChatMessage NotKnownYet(string? locale) => Texts(locale).Answer("not-known");

    public static ChatMessage ButtonNoLongerActive(string? locale) => Texts(locale).Answer("button-inactive");

    internal static Texts Texts(string? locale) => MessageCatalogue.Current.For("Conversations", locale);

    private static string Names(Texts t, IReadOnlyList<Membership> memberships, string kind) =>
        memberships.Where(m => m.Kind == kind).Select(m => m.Name).DefaultIfEmpty(t["settings.none"]).Aggregate((a, b) => $"{a}, {b}");

    /// <summary>The language as its speakers write it ("български", "română"); the code itself when the runtime does not know it.</summary>
    private static string LanguageName(string locale)
    {
        try
        {
            return System.Globalization.CultureInfo.GetCultureInfo(locale).NativeName;
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            return locale;
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 79), "…");
}
