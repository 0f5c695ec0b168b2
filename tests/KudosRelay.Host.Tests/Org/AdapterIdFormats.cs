using KudosRelay.Core.People;
using KudosRelay.Slack;
using KudosRelay.Teams;

namespace KudosRelay.Host.Tests.Org;

/// <summary>The chat id formats the adapters register, for tests that read org files outside a host.</summary>
internal static class AdapterIdFormats
{
    public static IReadOnlyList<IChatIdFormat> All { get; } = [new SlackIdFormat(), new TeamsIdFormat()];

    public static OrgFileReader Reader { get; } = new(All);
}
