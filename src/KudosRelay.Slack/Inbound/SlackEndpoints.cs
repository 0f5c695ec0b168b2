using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Slack.Rendering;
using KudosRelay.Slack.WebApi;
using KudosRelay.Slack.Workspaces;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// The three request URLs of the Slack app. Each verifies first, then parses into a neutral request,
/// hands it to the product and acknowledges within Slack's three seconds. Answers to events go to the
/// outbox before the acknowledgement; answers through a <c>response_url</c> go to <see cref="SlackFollowUps"/>.
/// </summary>
internal sealed partial class SlackEndpoints(
    SlackRequestVerifier verifier,
    SlackEventDeduplicator deduplicator,
    SlackFollowUps followUps,
    OutboxGroupCommit answers,
    SlackWorkspaces workspaces,
    StorageBudget storage,
    IOptions<SlackOptions> options,
    TimeProvider clock,
    ILogger<SlackEndpoints> logger)
{
    private static readonly IResult Ok = Results.Ok();

    public async Task<IResult> EventsAsync(HttpContext context)
    {
        SlackEventEnvelope? envelope;
        using (var verified = await verifier.ReadAsync(context.Request, context.RequestAborted))
        {
            if (verified.RefusalStatus is { } refusal)
                return Results.StatusCode(refusal);
            envelope = SlackEventEnvelope.Parse(verified.Span);
        }

        // Signed, so Slack sent it: a 4xx would only make Slack send it again, for ever. Acknowledge it and say why it was not used.
        var eventTime = envelope?.EventTimeCheckedAgainst(clock.GetUtcNow());
        switch (envelope)
        {
            case null:
                LogUnusable("$", "is not a JSON object");
                return Ok;
            case { Problem: { } problem }:
                LogUnusable(problem.Field, problem.Reason);
                return Ok;
            case { Type: "url_verification", Challenge: { } challenge }:
                return Results.Json(new { challenge });
            case { Type: "event_callback" } when eventTime is null:
                LogUnusable("event_time", "names no time Slack could have sent the event");
                return Ok;
            case { Type: "event_callback", EventId: { } eventId, Event: { } inner } when eventTime is { } at:
                if (!deduplicator.TryClaim(eventId))
                {
                    LogDuplicate(eventId, context.Request.Headers["X-Slack-Retry-Num"].ToString());
                    return Ok;
                }
                var accepted = false;
                try
                {
                    await storage.ChatAsync(token => OnEventAsync(context, envelope, eventId, at, inner, token), context.RequestAborted);
                    accepted = true;
                    return Ok;
                }
                catch (StorageUnavailableException exception)
                {
                    LogStorageUnavailable("event", exception.Message);
                    return StorageUnavailable(context);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogEventFailed(inner.Type, exception.GetType().Name);
                    return Results.StatusCode(StatusCodes.Status500InternalServerError);
                }
                finally
                {
                    // Nothing durable came of it: Slack's retry must be handled, not acknowledged as a copy.
                    if (!accepted)
                        deduplicator.Release(eventId);
                }
            default:
                return Ok;
        }
    }

    public async Task<IResult> CommandsAsync(HttpContext context)
    {
        var form = await ReadFormAsync(context);
        if (form.RefusalStatus is { } refusal)
            return Results.StatusCode(refusal);

        var command = First(form.Fields, "command") ?? "";
        var userId = First(form.Fields, "user_id");
        if (userId is null)
            return Results.BadRequest(new { error = "the slash command has no user_id" });

        var from = new ChatUser(SlackChatSender.PlatformName, First(form.Fields, "team_id"), userId, First(form.Fields, "user_name"));
        var text = First(form.Fields, "text") ?? "";
        // A command or arguments not understood get the help, in the person's language, naming what was typed.
        var request = SlackCommandTable.IsKnown(command) ? SlackCommandTable.Parse(command, from, text) : null;
        request ??= new ChatRequest.Help(from, $"{command} {text}".Trim());
        if (First(form.Fields, "trigger_id") is { Length: > 0 } triggerId)
            request = request with { Origin = new InboundOrigin($"slack:trigger:{triggerId}") };

        LogCommand(command, from.Workspace);
        var (response, unavailable) = await WithinBudgetAsync(context, "command", request);
        if (unavailable is not null)
            return unavailable;
        if (response?.Form is { } modal)
            return await OpenModalAsync(context, First(form.Fields, "trigger_id"), modal);
        return response?.Reply is { } reply ? Ephemeral(reply) : Ok;
    }

    /// <summary>
    /// The one Web API call made on a request path: a <c>trigger_id</c> is valid for 3 s only, so <c>views.open</c>
    /// cannot wait for the outbox. Opening a modal changes nothing the product stores, so nothing is lost when it fails;
    /// the person is told and can type the command again.
    /// </summary>
    private async Task<IResult> OpenModalAsync(HttpContext context, string? triggerId, ChatForm form)
    {
        if (triggerId is null)
            return Results.BadRequest(new { error = "the slash command has no trigger_id" });
        try
        {
            await context.RequestServices.GetRequiredService<SlackWebApiClient>().ViewsOpenAsync(triggerId, BlockKitRenderer.RenderModal(form), context.RequestAborted);
            return Ok;
        }
        catch (Exception exception) when (exception is SlackApiException or SlackRenderException)
        {
            LogModalFailed(form.FormId, exception is SlackApiException api ? api.Error : ((SlackRenderException)exception).Error);
            return Ephemeral(FallbackReplies.Failed(null));
        }
    }

    public async Task<IResult> InteractionsAsync(HttpContext context)
    {
        var form = await ReadFormAsync(context);
        if (form.RefusalStatus is { } refusal)
            return Results.StatusCode(refusal);

        var (interaction, problem) = SlackInteraction.Read(First(form.Fields, "payload"));
        if (problem is not null)
            return Results.BadRequest(new { error = $"payload: {problem.Field} {problem.Reason}", field = problem.Field });

        if (interaction is { Type: "view_submission", User.Id: { } submitter, View: { Id: { } viewId, CallbackId: { } formId } view })
        {
            var by = new ChatUser(SlackChatSender.PlatformName, interaction.Team?.Id ?? interaction.User.TeamId, submitter, interaction.User.Username ?? interaction.User.Name);
            var values = view.State?.ByActionId() ?? new Dictionary<string, string>();
            var (submitted, refused) = await WithinBudgetAsync(context, "form", new ChatRequest.FormSubmitted(by, formId, viewId, view.PrivateMetadata ?? "", values));
            return refused ?? ViewAnswer(formId, submitted);
        }
        if (interaction is not { Type: "block_actions", User.Id: { } userId, Actions: [{ ActionId: not null } action, ..] })
            return Ok;   // anything else: acknowledged

        var workspace = interaction.Team?.Id ?? interaction.User.TeamId;
        var from = new ChatUser(SlackChatSender.PlatformName, workspace, userId, interaction.User.Username ?? interaction.User.Name);
        // A page's way back, on the Home tab: the usual Home is published again.
        if (action.ActionId == BlockKitRenderer.HomeActionId)
        {
            var (_, refused) = await WithinBudgetAsync(context, "interaction", token =>
                PublishHomeAsync(context, from, InteractionKey(interaction.TriggerId, "home"), token));
            return refused ?? Ok;
        }
        var inputs = interaction.State?.ByActionId() is { Count: > 0 } held ? held : null;
        var pressed = action.ToButtonPressed(from, inputs);
        if (interaction.TriggerId is { Length: > 0 } triggerId)
            pressed = pressed with { Origin = new InboundOrigin($"slack:trigger:{triggerId}") };
        var (response, unavailable) = await WithinBudgetAsync(context, "interaction", async token =>
        {
            var answer = await HandleAsync(context, pressed, token);
            if (answer?.Page is { } page)
                await answers.EnqueueAsync(PagePublish(InteractionKey(interaction.TriggerId, "page"), from, pressed, page), token);
            return answer;
        });
        if (unavailable is not null)
            return unavailable;
        if (response is not null && ResponseUrl(interaction.ResponseUrl) is { } responseUrl)
        {
            if (response.Replacement is { } replacement)
                RespondLater("replacement", responseUrl, ResponseUrlBody(replacement, replaceOriginal: true));
            if (response.Reply is { } reply)
                RespondLater("reply", responseUrl, ResponseUrlBody(reply, replaceOriginal: false));
        }
        return Ok;
    }

    /// <summary>
    /// The answer to a <c>view_submission</c> (Slack's "response_action"): the fields to correct, or the form's next
    /// step in place of the modal; a plain reply becomes a last step that only reads; nothing closes the modal.
    /// </summary>
    private IResult ViewAnswer(string formId, ChatResponse? response)
    {
        var form = response switch
        {
            { Form: { } next } => next,
            { Reply: { } reply } => new ChatForm(formId, reply.Summary, null, reply.Blocks),
            _ => null,
        };
        if (form is null)
            return Ok;
        try
        {
            return Results.Json(form.HasErrors
                ? BlockKitRenderer.Errors(form)
                : new JsonObject { ["response_action"] = "update", ["view"] = BlockKitRenderer.RenderModal(form) });
        }
        catch (SlackRenderException exception)
        {
            LogModalFailed(formId, exception.Error);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>Bot identity as seen at start; 503 with the reason while Slack refuses the token.</summary>
    public IResult Readiness() => workspaces switch
    {
        { Problem: { } problem } => Results.Json(new { status = "not ready", reason = problem }, statusCode: StatusCodes.Status503ServiceUnavailable),
        { Bot: { } bot } => Results.Ok(new { status = "ready", team = bot.TeamId, user = bot.UserId }),
        _ => Results.Json(new { status = "not ready", reason = "auth.test has not answered yet" }, statusCode: StatusCodes.Status503ServiceUnavailable),
    };

    /// <summary>
    /// Handles an event before it is acknowledged: whatever it asks of the bot is answered now and the
    /// answer written to the outbox (group-committed with other requests' answers), so a 200 means the
    /// answer is durable. A crash before that leaves Slack without a 200, and Slack delivers the event again.
    /// </summary>
    private async Task OnEventAsync(HttpContext context, SlackEventEnvelope envelope, string eventId, DateTimeOffset eventTime, SlackEvent inner, CancellationToken cancellationToken)
    {
        var teamId = envelope.TeamId ?? inner.Team;
        if (inner is { Type: "app_uninstalled" } or { Type: "tokens_revoked", RevokedBotTokens: > 0 })
        {
            // Signed, but a workspace id Slack never issues: nothing to revoke, and nothing worth storing.
            if (teamId is not null && SlackIdFormat.IsTeamId(teamId))
                await workspaces.RevokeAsync(teamId, inner.Type!, eventTime, cancellationToken);
            else
                LogUnknownWorkspace(inner.Type!);
            return;
        }
        if (teamId is not null && workspaces.Known(teamId) is not null)
            await workspaces.SeenEventAsync(teamId, eventTime, cancellationToken);

        switch (inner)
        {
            case { Type: "app_home_opened", Tab: "home", User: { } user }:
                var opener = new ChatUser(SlackChatSender.PlatformName, teamId, user);
                var homeKey = $"slack:event:{eventId}:home";
                // A page stays until its way back is pressed: rebuilt from the press that made it, so it never shows what no longer counts.
                if (SlackPageOrigin.FromView(inner.ViewCallbackId, inner.ViewPrivateMetadata) is { } origin)
                {
                    var again = new ChatRequest.ButtonPressed(opener, origin.ActionId, origin.Payload);
                    if (await HandleAsync(context, again, cancellationToken) is { Page: { } page })
                    {
                        await answers.EnqueueAsync(PagePublish(homeKey, opener, again, page), cancellationToken);
                        break;
                    }
                }
                await PublishHomeAsync(context, opener, homeKey, cancellationToken);
                break;
            case { Type: "app_mention" or "message", User: { } user, Channel: { } channel, Text: { } text, BotId: null, Subtype: null }
                when inner.Type == "app_mention" || inner.ChannelType == "im":
                var from = new ChatUser(SlackChatSender.PlatformName, teamId, user);
                var target = inner.Type == "message" ? SlackTargets.Conversation(channel, teamId) : SlackTargets.Ephemeral(channel, user, teamId);
                var replyKey = $"slack:event:{eventId}:reply";
                // Kudos typed here are stored with their reply in one transaction, keyed by the event id.
                var request = SlackCommandTable.ParseMessage(from, text) with { Origin = new InboundOrigin($"slack:event:{eventId}", target, replyKey) };
                var response = await HandleAsync(context, request, cancellationToken);
                if (response?.Reply is not { } reply)
                    break;
                await answers.EnqueueAsync(new OutboxMessage(replyKey, target, reply), cancellationToken);
                break;
        }
    }

    /// <summary>The usual Home tab of <paramref name="user"/>, published through the outbox under <paramref name="key"/>.</summary>
    private async Task<ChatResponse?> PublishHomeAsync(HttpContext context, ChatUser user, string key, CancellationToken cancellationToken)
    {
        var home = await HandleAsync(context, new ChatRequest.Home(user), cancellationToken);
        if (home?.Reply is { } view)
            await answers.EnqueueAsync(new OutboxMessage(key, SlackTargets.HomeTab(user.UserId, user.Workspace), view), cancellationToken);
        return home;
    }

    /// <summary>A page on the Home tab of whoever pressed <paramref name="pressed"/>, remembering the press so that opening the tab rebuilds it.</summary>
    private static OutboxMessage PagePublish(string key, ChatUser user, ChatRequest.ButtonPressed pressed, ChatPage page) =>
        new(key, SlackTargets.PageTab(user.UserId, user.Workspace, new SlackPageOrigin(pressed.ActionId, pressed.Payload)), BlockKitRenderer.HomePage(page));

    /// <summary>The outbox key of what a click publishes: its <c>trigger_id</c> makes a replayed click publish nothing more.</summary>
    private static string InteractionKey(string? triggerId, string kind) =>
        triggerId is { Length: > 0 } ? $"slack:trigger:{triggerId}:{kind}" : $"slack:{kind}:{Guid.NewGuid():N}";

    /// <summary>
    /// Hands the request to the product within the caller's write budget (<paramref name="cancellationToken"/>). A
    /// feature's failure is answered kindly in chat; the database's (or the budget running out) goes up, to be answered 503.
    /// </summary>
    private async Task<ChatResponse?> HandleAsync(HttpContext context, ChatRequest request, CancellationToken cancellationToken)
    {
        if (context.RequestServices.GetService<IChatRequestHandler>() is not { } handler)
        {
            LogNoHandler();
            return new ChatResponse(FallbackReplies.NotReady(null));
        }
        try
        {
            return await handler.HandleAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or DbException or StorageUnavailableException))
        {
            LogHandlerFailed(request.GetType().Name, exception.GetType().Name);
            return new ChatResponse(FallbackReplies.Failed(null));
        }
    }

    /// <summary>The product's answer within the chat write budget, or the 503 that says the database cannot take the write now.</summary>
    private Task<(ChatResponse? Response, IResult? Refusal)> WithinBudgetAsync(HttpContext context, string kind, ChatRequest request) =>
        WithinBudgetAsync(context, kind, token => HandleAsync(context, request, token));

    /// <summary><paramref name="work"/> within the chat write budget, or the 503 that says the database cannot take the write now.</summary>
    private async Task<(ChatResponse? Response, IResult? Refusal)> WithinBudgetAsync(HttpContext context, string kind, Func<CancellationToken, Task<ChatResponse?>> work)
    {
        try
        {
            return (await storage.ChatAsync(work, context.RequestAborted), null);
        }
        catch (StorageUnavailableException exception)
        {
            LogStorageUnavailable(kind, exception.Message);
            return (null, StorageUnavailable(context));
        }
    }

    /// <summary>The database cannot take the request's write now: nothing of it was stored, and the sender is asked to try again.</summary>
    private static IResult StorageUnavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = StorageUnavailableException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    private async Task<(Dictionary<string, StringValues> Fields, int? RefusalStatus)> ReadFormAsync(HttpContext context)
    {
        using var verified = await verifier.ReadAsync(context.Request, context.RequestAborted);
        return verified.RefusalStatus is { } refusal
            ? ([], refusal)
            : (QueryHelpers.ParseQuery(Encoding.UTF8.GetString(verified.Span)), null);
    }

    /// <summary>
    /// Kept in memory, not in the outbox: a <c>response_url</c> expires after 30 minutes, and if the answer
    /// is lost to a crash Slack shows the person an error, so they know to press again.
    /// </summary>
    private void RespondLater(string kind, Uri responseUrl, JsonObject body) =>
        followUps.Enqueue(kind, (provider, ct) => provider.GetRequiredService<SlackWebApiClient>().PostToResponseUrlAsync(responseUrl, body, ct));

    /// <summary>
    /// Only Slack's own hooks host (or the configured API host, which tests point at their fake) is
    /// posted to: a verified request is trusted, but a response URL must never turn us into a proxy.
    /// </summary>
    private Uri? ResponseUrl(string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url))
            return null;
        var api = options.Value.ApiBaseUrl;
        var isSlackHooks = url.Scheme == Uri.UriSchemeHttps && url.Host.Equals("hooks.slack.com", StringComparison.OrdinalIgnoreCase);
        var isApiHost = url.Scheme == api.Scheme && string.Equals(url.Authority, api.Authority, StringComparison.OrdinalIgnoreCase);
        return isSlackHooks || isApiHost ? url : null;
    }

    private static JsonObject ResponseUrlBody(ChatMessage message, bool replaceOriginal)
    {
        var rendered = BlockKitRenderer.Render(message);
        var body = new JsonObject { ["text"] = rendered.Text, ["blocks"] = rendered.Blocks, ["replace_original"] = replaceOriginal };
        if (!replaceOriginal)
            body["response_type"] = "ephemeral";
        return body;
    }

    private static IResult Ephemeral(string mrkdwn) => Results.Json(new JsonObject
    {
        ["response_type"] = "ephemeral",
        ["text"] = mrkdwn,
    });

    private static IResult Ephemeral(ChatMessage message)
    {
        var rendered = BlockKitRenderer.Render(message);
        return Results.Json(new JsonObject { ["response_type"] = "ephemeral", ["text"] = rendered.Text, ["blocks"] = rendered.Blocks });
    }

    private static string? First(Dictionary<string, StringValues> form, string key) =>
        form.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack event {EventId} already handled; retry {RetryNum} acknowledged")]
    private partial void LogDuplicate(string eventId, string retryNum);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack modal {FormId} could not be shown: {Error}")]
    private partial void LogModalFailed(string formId, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack command {Command} from workspace {Workspace}")]
    private partial void LogCommand(string command, string? workspace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling Slack event {EventType} failed with {ExceptionType}; answered 500 so that Slack sends it again")]
    private partial void LogEventFailed(string? eventType, string exceptionType);

    // The field and what is wrong with it, never its value: events carry what people wrote.
    [LoggerMessage(Level = LogLevel.Warning, Message = "A signed Slack event could not be used and was acknowledged so that Slack does not send it again: {Field} {Reason}")]
    private partial void LogUnusable(string field, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {EventType} event without a valid workspace id ignored")]
    private partial void LogUnknownWorkspace(string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No chat request handler is registered; Slack requests get a 'not ready' reply")]
    private partial void LogNoHandler();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Slack {Kind} was answered 503 with Retry-After: {Reason}")]
    private partial void LogStorageUnavailable(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a Slack {Request} failed with {ExceptionType}")]
    private partial void LogHandlerFailed(string request, string exceptionType);
}
