using System.Globalization;
using System.Text.RegularExpressions;

namespace KudosRelay.Core.Messaging;

/// <summary>
/// Someone a message names and may mention, so that their platform notifies them and links their name.
/// <paramref name="UserIds"/> holds their user id per platform, keyed as <see cref="ChatTarget.Platform"/> is
/// ("slack" → "U…"); each renderer mentions them on its own platform and writes <paramref name="DisplayName"/>
/// where they have no id there.
/// </summary>
public sealed record ChatPerson(string DisplayName, IReadOnlyDictionary<string, string> UserIds);

/// <summary>
/// How a heading, text or context block names one of <see cref="ChatMessage.People"/>: the token <c>{@i}</c>, i being
/// their index there. The summary, quotes, facts and buttons never carry tokens. In a message with people, text that
/// must read as written (a customer's name, a case reference) goes through <see cref="Literal"/>, so that a "{@" in it
/// never turns into a mention; a message without people is read as it is.
/// </summary>
public static partial class Mention
{
    public static string Of(int index) => string.Create(CultureInfo.InvariantCulture, $"{{@{index}}}");

    public static string Literal(string text) => text.Replace("{@", "{@@", StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="text"/> with each token replaced by what <paramref name="write"/> makes of its person and each
    /// literal "{@" restored; <paramref name="text"/> itself when the message names nobody.
    /// </summary>
    public static string Resolve(string text, IReadOnlyList<ChatPerson> people, Func<ChatPerson, string> write) =>
        people.Count == 0 || !text.Contains("{@", StringComparison.Ordinal)
            ? text
            : Token().Replace(text, match =>
                !match.Groups[1].Success ? "{@"
                : int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < people.Count ? write(people[index])
                : match.Value);

    /// <summary>The people's names as written, for text that cannot mention (a terminal, a plain-text header).</summary>
    public static string Plain(string text, IReadOnlyList<ChatPerson> people) => Resolve(text, people, person => person.DisplayName);

    [GeneratedRegex(@"\{@(?:([0-9]{1,4})\}|@)", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
