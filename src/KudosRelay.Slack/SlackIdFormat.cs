using System.Text.RegularExpressions;
using KudosRelay.Core.People;

namespace KudosRelay.Slack;

/// <summary>
/// Slack ids as an organisation file gives them: a user id starts with <c>U</c> (or <c>W</c> on Enterprise Grid), a
/// channel id with <c>C</c> (or <c>G</c> for older private channels), then upper-case letters and digits. Direct
/// conversations (<c>D…</c>) belong to one person and are not channels a team or digest posts to.
/// </summary>
internal sealed partial class SlackIdFormat : IChatIdFormat
{
    public string Platform => SlackChatSender.PlatformName;

    public string? UserIdProblem(string value) => IsId(value, "UW") ? null : "is not a Slack user id (U… or W…)";

    public string? ChannelIdProblem(string value) => IsId(value, "CG") ? null : "is not a Slack channel id (C… or G…)";

    /// <summary>A workspace (team) id: <c>T</c>, then upper-case letters and digits.</summary>
    public static bool IsTeamId(string value) => IsId(value, "T");

    private static bool IsId(string value, string firstLetters) =>
        value.Length > 0 && firstLetters.Contains(value[0], StringComparison.Ordinal) && UpperAlphanumeric().IsMatch(value);

    [GeneratedRegex("^[A-Z][A-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex UpperAlphanumeric();
}
