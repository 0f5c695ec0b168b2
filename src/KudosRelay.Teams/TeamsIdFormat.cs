using KudosRelay.Core.People;

namespace KudosRelay.Teams;

/// <summary>
/// Teams ids as an organisation file gives them: a person by their Microsoft Entra (Azure AD) object id, the GUID
/// activities carry as <c>from.aadObjectId</c>; a channel by its conversation id, which starts with <c>19:</c>
/// (<c>19:…@thread.tacv2</c>).
/// </summary>
internal sealed class TeamsIdFormat : IChatIdFormat
{
    public string Platform => TeamsChatSender.PlatformName;

    public string? UserIdProblem(string value) => Guid.TryParse(value, out _) ? null : "is not an Azure AD object id (a GUID)";

    public string? ChannelIdProblem(string value) => value.StartsWith("19:", StringComparison.Ordinal) ? null : "is not a Teams channel id (19:…)";
}
