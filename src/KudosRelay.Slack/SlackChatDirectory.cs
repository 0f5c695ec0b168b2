using KudosRelay.Core.People;
using KudosRelay.Slack.WebApi;

namespace KudosRelay.Slack;

/// <summary>Finds a person's Slack user id from their e-mail with <c>users.lookupByEmail</c>.</summary>
internal sealed class SlackChatDirectory(SlackWebApiClient slack) : IChatDirectory
{
    public string Platform => SlackChatSender.PlatformName;

    public async Task<ChatDirectoryEntry?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        await slack.UsersLookupByEmailAsync(email, cancellationToken) is { Deleted: false } user
            ? new ChatDirectoryEntry(user.Id, user.TeamId)
            : null;
}
