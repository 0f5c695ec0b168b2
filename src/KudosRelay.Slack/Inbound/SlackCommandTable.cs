using System.Text.RegularExpressions;
using KudosRelay.Core.Conversations;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// Slash commands and direct-message words → neutral requests. Adding a command is one line here plus
/// its feature. A command that does not parse yields null and the caller asks for the help instead.
/// </summary>
internal static partial class SlackCommandTable
{
    private static readonly Dictionary<string, Func<ChatUser, string, ChatRequest?>> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/kudos"] = ParseKudos,
        ["/kudosrelay"] = ParseWords,
        ["/escalate"] = (from, _) => new ChatRequest.FormRequested(from, ChatForms.Escalate),
    };

    public static bool IsKnown(string command) => Commands.ContainsKey(command);

    /// <summary>The request for a slash command, or null when the command or its arguments are not understood.</summary>
    public static ChatRequest? Parse(string command, ChatUser from, string text) =>
        Commands.TryGetValue(command, out var parse) ? parse(from, text.Trim()) : null;

    /// <summary>
    /// A direct message or a mention: "help", "settings" or "kudos @someone text"; anything else is
    /// handed on as help with the unrecognised words, so the product can answer it kindly.
    /// </summary>
    public static ChatRequest ParseMessage(ChatUser from, string text)
    {
        var trimmed = LeadingMention().Replace(text, "").Trim();
        var (word, remainder) = SplitFirstWord(trimmed);
        return word.ToUpperInvariant() switch
        {
            "KUDOS" => (ChatRequest?)ParseKudos(from, remainder) ?? new ChatRequest.Help(from, trimmed),
            _ => ParseWords(from, trimmed) ?? new ChatRequest.Help(from, trimmed),
        };
    }

    private static ChatRequest? ParseWords(ChatUser from, string text) => text.Trim().ToUpperInvariant() switch
    {
        "" or "HELP" => new ChatRequest.Help(from),
        "SETTINGS" => new ChatRequest.Settings(from),
        _ => null,
    };

    /// <summary><c>&lt;@U123|ana&gt; thanks for …</c> (Slack escapes mentions in command text when "escape channels, users and links" is on).</summary>
    private static ChatRequest.PeerKudos? ParseKudos(ChatUser from, string text)
    {
        var match = KudosArguments().Match(text);
        if (!match.Success)
            return null;
        var name = match.Groups["name"].Success ? match.Groups["name"].Value : null;
        var to = new ChatUser(from.Platform, from.Workspace, match.Groups["id"].Value, name);
        var message = match.Groups["text"].Value.Trim();
        return message.Length == 0 ? null : new ChatRequest.PeerKudos(from, to, message);
    }

    private static (string Word, string Remainder) SplitFirstWord(string text)
    {
        var space = text.IndexOfAny([' ', '\n', '\t']);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..]);
    }

    [GeneratedRegex(@"^<@(?<id>[UW][A-Z0-9]{2,20})(\|(?<name>[^>]*))?>\s*(?<text>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex KudosArguments();

    [GeneratedRegex(@"^\s*<@[UW][A-Z0-9]{2,20}(\|[^>]*)?>", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingMention();
}
