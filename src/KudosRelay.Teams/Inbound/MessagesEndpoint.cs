using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Teams.Conversations;
using KudosRelay.Teams.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KudosRelay.Teams.Inbound;

/// <summary>
/// <c>POST /api/messages</c>: verify the Bot Framework token, then the activity against it, then the
/// tenant; then store where the conversation lives, hand the request to the features and queue any
/// reply in the outbox. Nothing is sent to Teams on the request path; invokes are answered inline.
/// </summary>
internal sealed partial class MessagesEndpoint(
    BotTokenValidator tokens,
    TeamsConversationStore conversations,
    MemberDirectory members,
    OutboxGroupCommit replies,
    StorageBudget storage,
    IOptions<TeamsOptions> options,
    IServiceProvider services,
    ILogger<MessagesEndpoint> logger)
{
    /// <summary>Teams activities are far smaller; a larger body is not one.</summary>
    private const int MaxBodyBytes = 256 * 1024;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var token = await tokens.ValidateAsync(context.Request.Headers.Authorization, cancellationToken);
        if (token is null)
            return Unauthorized();
        using var body = await BoundedBody.ReadAsync(context.Request.Body, context.Request.ContentLength, MaxBodyBytes, cancellationToken);
        if (body is null)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var (activity, problem) = ActivityJson.Read(body.Span);
        if (problem is not null)
            return Results.BadRequest(new { error = $"{problem.Field} {problem.Reason}", field = problem.Field });
        if (activity is null || !token.Matches(activity.ChannelId, activity.ServiceUrl))
            return Unauthorized();
        if (options.Value.AllowedTenants.Count > 0 && !options.Value.AllowedTenants.Contains(activity.TenantId ?? "", StringComparer.OrdinalIgnoreCase))
        {
            LogTenantRefused(logger, activity.Type);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        try
        {
            return await storage.ChatAsync(token => OnActivityAsync(activity, token), cancellationToken);
        }
        catch (StorageUnavailableException exception)
        {
            // Nothing of the activity was stored; the Bot Framework sends it again.
            LogStorageUnavailable(logger, activity.Type, exception.Message);
            context.Response.Headers.RetryAfter = StorageUnavailableException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    private async Task<IResult> OnActivityAsync(Activity activity, CancellationToken cancellationToken) => activity.Type switch
    {
        "message" => await OnMessageAsync(activity, cancellationToken),
        "conversationUpdate" => await OnConversationUpdateAsync(activity, cancellationToken),
        "installationUpdate" => await OnInstallationUpdateAsync(activity, cancellationToken),
        "invoke" when activity.Name == "adaptiveCard/action" => await OnCardActionAsync(activity, cancellationToken),
        "invoke" => Results.StatusCode(StatusCodes.Status501NotImplemented),
        _ => Results.Ok(),
    };

    // No detail on purpose: a caller probing tokens learns nothing about which check failed.
    private static IResult Unauthorized() => Results.StatusCode(StatusCodes.Status401Unauthorized);

    private async Task<IResult> OnMessageAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (Reference(activity, installed: true) is not { } reference)
            return Results.BadRequest();
        await conversations.SaveAsync(reference, cancellationToken);
        // A message in a channel thread also shows where the channel itself lives, so digests can be posted there.
        if (activity.ChannelData?.Channel?.Id is { Length: > 0 } channelId && channelId != reference.ConversationId)
            await conversations.SaveAsync(reference with { ConversationId = channelId, ConversationType = "channel" }, cancellationToken);

        var request = await TranslateAsync(activity, reference, cancellationToken);
        LogRequest(logger, request.GetType().Name);

        // Kudos typed here are stored with their reply in one transaction, keyed by the activity: a retry stores nothing.
        var target = new ChatTarget(TeamsChatSender.PlatformName, ChatTargetKind.Channel, reference.ConversationId, reference.TenantId);
        if (RequestId(activity, reference.ConversationId) is { } requestId)
            request = request with { Origin = new InboundOrigin(requestId, target, ReplyKey(activity, reference)) };
        var response = await Handler.HandleAsync(request, cancellationToken);
        // A form is a card in the conversation; its steps replace it in place when it is submitted.
        if ((response.Form?.AsMessage() ?? response.Reply) is { } reply)
            await replies.EnqueueAsync(new OutboxMessage(ReplyKey(activity, reference), target, reply, null, null), cancellationToken);
        return Results.Ok();
    }

    /// <summary>An activity id is unique within its conversation; Teams sends a retried activity with the same id.</summary>
    private static string? RequestId(Activity activity, string? conversationId) =>
        activity.Id is { Length: > 0 } id && conversationId is { Length: > 0 } ? $"teams:activity:{conversationId}:{id}" : null;

    /// <summary>
    /// The translator asks for an object id only for the person a kudos is for, when their mention
    /// carries none; only then is it looked up (possibly at the Connector) and the text translated again.
    /// </summary>
    private async Task<ChatRequest> TranslateAsync(Activity activity, ConversationReference reference, CancellationToken cancellationToken)
    {
        string? wanted = null;
        var request = ActivityTranslator.ToRequest(activity, id =>
        {
            wanted = id;
            return null;
        });
        if (wanted is null)
            return request;
        var memberOf = activity.ChannelData?.Team?.Id is { Length: > 0 } teamId ? teamId : reference.ConversationId;
        var aadId = await members.FindAadIdAsync(wanted, reference.ServiceUrl, memberOf, cancellationToken);
        return aadId is null ? request : ActivityTranslator.ToRequest(activity, id => id == wanted ? aadId : null);
    }

    /// <summary>
    /// The reply goes through the outbox like everything else, keyed by the activity so that Teams
    /// retrying the same activity does not make the bot answer twice.
    /// </summary>
    private static string ReplyKey(Activity activity, ConversationReference reference) =>
        "teams:reply:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{reference.ConversationId}\n{activity.Id}")));

    private async Task<IResult> OnConversationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        var botId = activity.Recipient?.Id;
        if (botId is null)
            return Results.Ok();
        if ((activity.MembersRemoved ?? []).Any(member => member.Id == botId))
            return await UninstallAsync(activity, cancellationToken);
        if ((activity.MembersAdded ?? []).Any(member => member.Id == botId) && Reference(activity, installed: true) is { } reference)
        {
            await conversations.SaveAsync(reference, cancellationToken, always: true);
            LogInstalled(logger, reference.ConversationType);
        }
        return Results.Ok();
    }

    private async Task<IResult> OnInstallationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Action?.StartsWith("remove", StringComparison.Ordinal) == true)
            return await UninstallAsync(activity, cancellationToken);
        if (activity.Action?.StartsWith("add", StringComparison.Ordinal) == true && Reference(activity, installed: true) is { } reference)
        {
            await conversations.SaveAsync(reference, cancellationToken, always: true);
            LogInstalled(logger, reference.ConversationType);
        }
        return Results.Ok();
    }

    private async Task<IResult> UninstallAsync(Activity activity, CancellationToken cancellationToken)
    {
        var conversationId = activity.ChannelData?.Team?.Id ?? activity.Conversation?.Id;
        if (conversationId is { Length: > 0 })
        {
            await conversations.UninstallAsync(conversationId, cancellationToken);
            if (activity.Conversation?.Id is { Length: > 0 } id && id != conversationId)
                await conversations.UninstallAsync(id, cancellationToken);
            LogUninstalled(logger, activity.Conversation?.ConversationType);
        }
        return Results.Ok();
    }

    private async Task<IResult> OnCardActionAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (Reference(activity, installed: true) is { } reference)
            await conversations.SaveAsync(reference, cancellationToken);
        if (ActivityTranslator.ToButtonPressed(activity) is not { } pressed)
            return CardResponse(FallbackReplies.OldButton(activity.Locale));
        if (RequestId(activity, activity.Conversation?.Id) is { } requestId)
            pressed = pressed with { Origin = new InboundOrigin(requestId) };
        LogRequest(logger, nameof(ChatRequest.ButtonPressed));
        ChatResponse response;
        try
        {
            response = await Handler.HandleAsync(pressed, cancellationToken);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or DbException))
        {
            // An unknown verb, a payload from an old card or a feature's failure must not leave the
            // user with Teams' generic error: say so on the card. The exception type is logged, not its text.
            LogActionFailed(logger, exception.GetType().Name);
            return CardResponse(FallbackReplies.Failed(activity.Locale));
        }
        // A page (a summary's full list) is the card the presser sees; Teams has no place of its own for it.
        if ((response.Page?.Content ?? response.Replacement ?? response.Form?.AsMessage()) is { } replacement)
            return CardResponse(replacement);
        // Nothing to replace the card with: a short message shown to the presser only.
        return Results.Json(new { statusCode = 200, type = "application/vnd.microsoft.activity.message", value = response.Reply?.Summary ?? FallbackReplies.Done(activity.Locale) });
    }

    /// <summary>The <c>adaptiveCard/action</c> response that replaces the card for everyone (<c>universal-action-model.md</c>).</summary>
    private static IResult CardResponse(ChatMessage card) =>
        Results.Json(new { statusCode = 200, type = AdaptiveCardRenderer.ContentType, value = AdaptiveCardRenderer.Render(card) });

    private IChatRequestHandler Handler => services.GetRequiredService<IChatRequestHandler>();

    private static ConversationReference? Reference(Activity activity, bool installed)
    {
        if (activity.Conversation?.Id is not { Length: > 0 } conversationId || activity.ServiceUrl is not { Length: > 0 } serviceUrl
            || activity.Recipient?.Id is not { Length: > 0 } botId)
            return null;
        var type = activity.Conversation.ConversationType is { Length: > 0 } given ? given : activity.Conversation.IsGroup == true ? "groupChat" : "personal";
        return new ConversationReference
        {
            ConversationId = conversationId,
            ConversationType = type,
            TenantId = activity.TenantId,
            ServiceUrl = serviceUrl,
            BotId = botId,
            UserId = activity.From?.Id,
            UserAadId = activity.From?.AadObjectId is { Length: > 0 } aad ? aad : null,
            TeamId = activity.ChannelData?.Team?.Id,
            Installed = installed,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams request {Request}")]
    private static partial void LogRequest(ILogger logger, string request);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams app installed in a {ConversationType} conversation")]
    private static partial void LogInstalled(ILogger logger, string conversationType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams app removed from a {ConversationType} conversation")]
    private static partial void LogUninstalled(ILogger logger, string? conversationType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams {ActivityType} activity from a tenant not in Teams:AllowedTenants refused")]
    private static partial void LogTenantRefused(ILogger logger, string? activityType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Teams {ActivityType} activity was answered 503 with Retry-After: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string? activityType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams card action failed: {Error}")]
    private static partial void LogActionFailed(ILogger logger, string error);
}
