using System.Net;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Teams.Connector;
using KudosRelay.Teams.Conversations;
using KudosRelay.Teams.Inbound;
using KudosRelay.Teams.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace KudosRelay.Teams;

/// <summary>
/// Delivers outbox messages to Teams. A person (addressed by Azure AD object id) gets a 1:1 chat,
/// opened with the tenant and service URL learned when they or their team installed the app; a
/// channel or chat (addressed by conversation id) must have been seen in a verified activity.
/// The message reference is <c>{conversationId}#{activityId}</c>, used to update the card in place.
/// </summary>
internal sealed partial class TeamsChatSender(
    ConnectorClient connector, TeamsConversationStore conversations, IOptions<TeamsOptions> options, ILogger<TeamsChatSender> logger) : IChatSender
{
    public const string PlatformName = "teams";

    private const string PersonalConversation = "personal";

    public string Platform => PlatformName;

    /// <summary>Teams' budgets for the message's conversation and tenant, kept by the outbox before it leases the message.</summary>
    public IReadOnlyList<SendBudget> BudgetsFor(ChatTarget target, bool updatesInPlace) => TeamsBudgets.For(target, options.Value.Pacing);

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var result = message.ReplacesMessageRef is { } replaces
                ? await UpdateAsync(message, replaces, cancellationToken)
                : message.Target.Kind == ChatTargetKind.Person
                    ? await SendToPersonAsync(message, cancellationToken)
                    : await SendToConversationAsync(message, cancellationToken);
            if (result is not (SendResult.Sent or SendResult.Deferred))
                LogNotSent(logger, message.Id, result.GetType().Name);
            return result;
        }
        catch (BotTokenException exception)
        {
            LogTokenRefused(logger, message.Id, exception.Status);
            return exception.IsPermanent
                ? new SendResult.Permanent($"token endpoint refused the bot's credentials ({exception.Status})")
                : new SendResult.Transient($"token endpoint answered {exception.Status}");
        }
        catch (BrokenCircuitException exception)
        {
            // The host's breaker for this service URL (or the token endpoint) is open: wait out the break.
            return new SendResult.Transient("circuit_open", exception.RetryAfter);
        }
        catch (Exception exception) when (exception is ExecutionRejectedException or HttpRequestException or TimeoutException
            || exception is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Transient(exception.GetType().Name);
        }
    }

    private async Task<SendResult> SendToPersonAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var aadObjectId = message.Target.Address;
        var reference = await conversations.FindForUserAsync(aadObjectId, cancellationToken)
            ?? (message.Target.Workspace is { Length: > 0 } tenant ? await conversations.FindForTenantAsync(tenant, cancellationToken) : null);
        if (reference is null)
            return new SendResult.Permanent("no Teams conversation known for this person or tenant: the app must be installed first");
        if (reference.ConversationType == PersonalConversation && reference.UserAadId == aadObjectId)
        {
            // Their 1:1, from their install or an earlier create: no need to open it again.
            var sent = await connector.SendToConversationAsync(reference.ServiceUrl, reference.ConversationId,
                ToActivity(message.Message, reference.ConversationId, reference.BotId), cancellationToken);
            if (sent.Ok)
                return Sent(reference.ConversationId, sent);
            if (sent.Status is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
                return Classify(sent.Status, sent.Error!, sent.RetryAfter);
            // Teams no longer knows that conversation (the app was removed without the bot hearing of it): open a new one below.
            await conversations.UninstallAsync(reference.ConversationId, cancellationToken);
        }

        var member = new ChannelAccount
        {
            // The 29: id is what Teams knows the user by in this bot's conversations; the object id works where it is all we have.
            Id = reference.UserAadId == aadObjectId && reference.UserId is { Length: > 0 } userId ? userId : aadObjectId,
            AadObjectId = aadObjectId,
        };
        var tenantId = reference.TenantId ?? message.Target.Workspace;
        var created = await connector.CreateConversationAsync(reference.ServiceUrl, new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = reference.BotId },
            Members = [member],
            TenantId = tenantId,
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = tenantId } },
        }, cancellationToken);
        if (!created.Ok)
            return Classify(created.Status, created.Error!, created.RetryAfter);
        if (created.Value?.Id is not { Length: > 0 } conversationId)
            return new SendResult.Transient("connector returned no conversation id");
        // The 1:1 stays the same conversation: remembered, the next message to this person goes straight to it.
        await conversations.SaveAsync(new ConversationReference
        {
            ConversationId = conversationId,
            ConversationType = PersonalConversation,
            TenantId = tenantId,
            ServiceUrl = reference.ServiceUrl,
            BotId = reference.BotId,
            UserId = member.Id == aadObjectId ? null : member.Id,
            UserAadId = aadObjectId,
            Installed = true,
        }, cancellationToken);
        return await PostAsync(reference.ServiceUrl, conversationId, reference.BotId, message.Message, cancellationToken);
    }

    private async Task<SendResult> SendToConversationAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var reference = await conversations.FindAsync(message.Target.Address, cancellationToken);
        if (reference is null)
            return new SendResult.Permanent("unknown Teams conversation: the app has not been seen there");
        if (!reference.Installed)
            return new SendResult.Permanent("the app was removed from this Teams conversation");
        return await PostAsync(reference.ServiceUrl, reference.ConversationId, reference.BotId, message.Message, cancellationToken);
    }

    private async Task<SendResult> PostAsync(string serviceUrl, string conversationId, string botId, ChatMessage message, CancellationToken cancellationToken)
    {
        var sent = await connector.SendToConversationAsync(serviceUrl, conversationId, ToActivity(message, conversationId, botId), cancellationToken);
        return sent.Ok ? Sent(conversationId, sent) : Classify(sent.Status, sent.Error!, sent.RetryAfter);
    }

    private static SendResult.Sent Sent(string conversationId, ConnectorResult<ResourceResponse> sent) =>
        new(sent.Value?.Id is { Length: > 0 } id ? MessageRef(conversationId, id) : null);

    private async Task<SendResult> UpdateAsync(OutboundMessage message, string replaces, CancellationToken cancellationToken)
    {
        if (ParseMessageRef(replaces) is not var (conversationId, activityId))
            return new SendResult.Permanent("not a Teams message reference");
        var reference = await conversations.FindAsync(conversationId, cancellationToken);
        if (reference is null)
            return new SendResult.Permanent("unknown Teams conversation: the app has not been seen there");
        if (!reference.Installed)
            return new SendResult.Permanent("the app was removed from this Teams conversation");
        var activity = ToActivity(message.Message, conversationId, reference.BotId) with { Id = activityId };
        var updated = await connector.UpdateActivityAsync(reference.ServiceUrl, conversationId, activityId, activity, cancellationToken);
        return updated.Ok ? new SendResult.Sent(replaces) : Classify(updated.Status, updated.Error!, updated.RetryAfter);
    }

    /// <summary>
    /// The activity carrying <paramref name="message"/> as a card, with the channel, conversation and sender the activity
    /// spec requires of every activity; its summary is a short preview (the card holds the whole text).
    /// </summary>
    internal static Activity ToActivity(ChatMessage message, string conversationId, string botId) => new()
    {
        Type = "message",
        ChannelId = ChannelId,
        Conversation = new ConversationAccount { Id = conversationId },
        From = new ChannelAccount { Id = botId },
        Summary = AdaptiveCardRenderer.Preview(message.Summary),
        Attachments = [new Attachment { ContentType = AdaptiveCardRenderer.ContentType, Content = AdaptiveCardRenderer.Render(message) }],
    };

    /// <summary>The Bot Framework's channel id of Teams.</summary>
    internal const string ChannelId = "msteams";

    internal static string MessageRef(string conversationId, string activityId) => $"{conversationId}#{activityId}";

    internal static (string ConversationId, string ActivityId)? ParseMessageRef(string messageRef)
    {
        var split = messageRef.LastIndexOf('#');
        return split > 0 && split < messageRef.Length - 1 ? (messageRef[..split], messageRef[(split + 1)..]) : null;
    }

    /// <summary>
    /// Teams asks bots to back off on 429 (the conversation is paused for the <c>Retry-After</c>, or a second) and to
    /// retry 412, 502 and 504: those, like other server errors, are transient.
    /// </summary>
    private static SendResult Classify(HttpStatusCode status, string error, TimeSpan? retryAfter) => status switch
    {
        // Throttled: the outbox pauses the message's budgets (its conversation and tenant) for every instance.
        HttpStatusCode.TooManyRequests => new SendResult.Transient(error, retryAfter ?? TimeSpan.FromSeconds(1)) { Throttled = true },
        // A 401 is retried with a fresh token by the client already; one that outlives that may be the Connector's own
        // trouble, so the outbox tries again later and dead-letters only after its attempts.
        HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            or HttpStatusCode.RequestEntityTooLarge => new SendResult.Permanent(error),
        _ => new SendResult.Transient(error, retryAfter),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams message {MessageId} not sent: {Outcome}")]
    private static partial void LogNotSent(ILogger logger, long messageId, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams message {MessageId}: token endpoint answered {Status}")]
    private static partial void LogTokenRefused(ILogger logger, long messageId, int status);
}
