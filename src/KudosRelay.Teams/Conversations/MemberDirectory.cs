using System.Collections.Concurrent;
using KudosRelay.Teams.Connector;
using KudosRelay.Teams.Inbound;
using Microsoft.Extensions.Logging;
using Polly;

namespace KudosRelay.Teams.Conversations;

/// <summary>
/// The Azure AD object id behind a Teams user id (<c>29:…</c>), for a mention that carries none:
/// first the conversation references the bot has stored, then the Connector's
/// <c>GetConversationMember</c> in the conversation the mention came from. What the Connector answers
/// is remembered for the life of the process. Only the object id is kept: e-mail and user principal
/// name come back too, but nothing here needs them.
/// </summary>
internal sealed partial class MemberDirectory(TeamsConversationStore conversations, ConnectorClient connector, ILogger<MemberDirectory> logger)
{
    /// <summary>People mentioned in kudos, not every user of the tenant: when it is full it starts over rather than tracking age.</summary>
    private const int Capacity = 10_000;

    /// <summary>This runs on the request path and Teams waits 15 s for the answer: a slow Connector costs the kudos its object id, not the request.</summary>
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, string> aadIds = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="serviceUrl"/> is that of the verified activity the mention came in;
    /// <paramref name="conversationId"/> one the user is a member of (the team for a channel message).
    /// </summary>
    public async Task<string?> FindAadIdAsync(string userId, string serviceUrl, string conversationId, CancellationToken cancellationToken)
    {
        if (aadIds.TryGetValue(userId, out var remembered))
            return remembered;
        if (await conversations.FindAadIdAsync(userId, cancellationToken) is { } stored)
            return stored;
        // Teams user ids start with 29:; bots (28:) have no member entry worth a round trip.
        if (!userId.StartsWith("29:", StringComparison.Ordinal))
            return null;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LookupTimeout);
        ConnectorResult<ChannelAccount> member;
        try
        {
            member = await connector.GetConversationMemberAsync(serviceUrl, conversationId, userId, timeout.Token);
        }
        // ExecutionRejectedException: the host's pipeline gave up (an open circuit, a timed-out attempt).
        catch (Exception exception) when (exception is HttpRequestException or BotTokenException or TimeoutException or ExecutionRejectedException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogLookupFailed(logger, exception.GetType().Name);
            return null;
        }
        if (!member.Ok)
        {
            LogLookupFailed(logger, member.Error!);
            return null;
        }
        if (member.Value?.AadObjectId is not { Length: > 0 } aadId)
            return null;
        if (aadIds.Count >= Capacity)
            aadIds.Clear();
        aadIds[userId] = aadId;
        return aadId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams member lookup for a mention failed: {Error}")]
    private static partial void LogLookupFailed(ILogger logger, string error);
}
