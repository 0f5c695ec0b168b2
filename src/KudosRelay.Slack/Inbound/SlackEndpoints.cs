using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Slack.Rendering;
using KudosRelay.Slack.WebApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// The three request URLs of the Slack app. Each verifies first, then parses into a neutral request,
/// hands it to the product and acknowledges within Slack's three seconds; anything slower or meant
/// for later goes to <see cref="SlackFollowUps"/>.
/// </summary>
internal sealed partial class SlackEndpoints(
    SlackRequestVerifier verifier,
    SlackEventDeduplicator deduplicator,
    SlackFollowUps followUps,
    SlackWorkspaces workspaces,
    IOptions<SlackOptions> options,
    TimeProvider clock,
    ILogger<SlackEndpoints> logger)
{
    /// <summary>Slack gives up after 3 s; the product gets most of that, the rest is ours and the network's.</summary>
    internal static readonly TimeSpan HandlerBudget = TimeSpan.FromMilliseconds(2500);

    private static readonly IResult Ok = Results.Ok();

    public async Task<IResult> EventsAsync(HttpContext context)
    {
        var verified = await verifier.ReadAsync(context.Request, context.RequestAborted);
        if (verified.RefusalStatus is { } refusal)
            return Results.StatusCode(refusal);

        SlackEventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<SlackEventEnvelope>(verified.Body, SlackWebApiClient.Json);
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        switch (envelope)
        {
            case { Type: "url_verification", Challenge: { } challenge }:
                return Results.Json(new { challenge });
            case { Type: "event_callback", EventId: { } eventId, Event: { } inner }:
                if (!deduplicator.TryClaim(eventId))
                {
                    LogDuplicate(eventId, context.Request.Headers["X-Slack-Retry-Num"].ToString());
                    return Ok;
                }
                OnEvent(envelope.TeamId, inner);
                return Ok;
            default:
                return Ok;
        }
    }

    public async Task<IResult> CommandsAsync(HttpContext context)
    {
        var verified = await verifier.ReadAsync(context.Request, context.RequestAborted);
        if (verified.RefusalStatus is { } refusal)
            return Results.StatusCode(refusal);

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(verified.Body));
        var command = First(form, "command") ?? "";
        var userId = First(form, "user_id");
        if (userId is null)
            return Ephemeral(SlackCommandTable.Usage);

        var from = new ChatUser(SlackChatSender.PlatformName, First(form, "team_id"), userId, First(form, "user_name"));
        if (!SlackCommandTable.IsKnown(command))
            return Ephemeral($"Sorry, I don't know `{BlockKitRenderer.Escape(command)}`.\n{SlackCommandTable.Usage}");
        if (SlackCommandTable.Parse(command, from, First(form, "text") ?? "") is not { } request)
            return Ephemeral(SlackCommandTable.Usage);

        LogCommand(command, from.Workspace);
        var response = await HandleWithinBudgetAsync(context, request);
        return response?.Reply is { } reply ? Ephemeral(reply) : Ok;
    }

    public async Task<IResult> InteractionsAsync(HttpContext context)
    {
        var verified = await verifier.ReadAsync(context.Request, context.RequestAborted);
        if (verified.RefusalStatus is { } refusal)
            return Results.StatusCode(refusal);

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(verified.Body));
        SlackInteraction? interaction;
        try
        {
            interaction = First(form, "payload") is { } json ? JsonSerializer.Deserialize<SlackInteraction>(json, SlackWebApiClient.Json) : null;
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        if (interaction is not { Type: "block_actions", User.Id: { } userId, Actions: [var action, ..] } || action.ActionId is null)
            return Ok;   // view_submission and anything else: acknowledged; an empty 200 closes a modal

        var workspace = interaction.Team?.Id ?? interaction.User.TeamId;
        var from = new ChatUser(SlackChatSender.PlatformName, workspace, userId, interaction.User.Username ?? interaction.User.Name);
        var response = await HandleWithinBudgetAsync(context, action.ToButtonPressed(from));
        if (response is not null && ResponseUrl(interaction.ResponseUrl) is { } responseUrl)
        {
            if (response.Replacement is { } replacement)
                RespondLater("replacement", responseUrl, ResponseUrlBody(replacement, replaceOriginal: true));
            if (response.Reply is { } reply)
                RespondLater("reply", responseUrl, ResponseUrlBody(reply, replaceOriginal: false));
        }
        return Ok;
    }

    /// <summary>Bot identity as seen at start; 503 with the reason while Slack refuses the token.</summary>
    public IResult Readiness() => workspaces switch
    {
        { Problem: { } problem } => Results.Json(new { status = "not ready", reason = problem }, statusCode: StatusCodes.Status503ServiceUnavailable),
        { Bot: { } bot } => Results.Ok(new { status = "ready", team = bot.TeamId, user = bot.UserId }),
        _ => Results.Json(new { status = "not ready", reason = "auth.test has not answered yet" }, statusCode: StatusCodes.Status503ServiceUnavailable),
    };

    private void OnEvent(string? teamId, SlackEvent inner)
    {
        switch (inner)
        {
            case { Type: "app_uninstalled" }:
            case { Type: "tokens_revoked", Tokens.Bot.Count: > 0 }:
                if (teamId is not null)
                {
                    workspaces.Revoke(teamId, clock.GetUtcNow());
                    LogRevoked(teamId, inner.Type);
                }
                break;
            case { Type: "app_home_opened", Tab: "home", User: { } user }:
                followUps.Enqueue("home tab", (provider, ct) =>
                    provider.GetRequiredService<SlackWebApiClient>().ViewsPublishAsync(user, BlockKitRenderer.RenderHomeView(SlackHome.Message), ct));
                break;
            case { Type: "app_mention" or "message", User: { } user, Channel: { } channel, Text: { } text, BotId: null, Subtype: null }
                when inner.Type == "app_mention" || inner.ChannelType == "im":
                var from = new ChatUser(SlackChatSender.PlatformName, teamId ?? inner.Team, user);
                var request = SlackCommandTable.ParseMessage(from, text);
                var isDirect = inner.Type == "message";
                followUps.Enqueue(inner.Type, async (provider, ct) =>
                {
                    if (provider.GetService<IChatRequestHandler>() is not { } handler)
                    {
                        LogNoHandler();
                        return;
                    }
                    var response = await handler.HandleAsync(request, ct);
                    if (response.Reply is not { } reply)
                        return;
                    var rendered = BlockKitRenderer.Render(reply);
                    var slack = provider.GetRequiredService<SlackWebApiClient>();
                    if (isDirect)
                        await slack.ChatPostMessageAsync(channel, rendered.Text, rendered.Blocks, ct);
                    else
                        await slack.ChatPostEphemeralAsync(channel, user, rendered.Text, rendered.Blocks, ct);
                });
                break;
        }
    }

    private async Task<ChatResponse?> HandleWithinBudgetAsync(HttpContext context, ChatRequest request)
    {
        var requestAborted = context.RequestAborted;
        if (context.RequestServices.GetService<IChatRequestHandler>() is not { } handler)
        {
            LogNoHandler();
            return new ChatResponse(new ChatMessage("KudosRelay is not ready yet.", [new TextBlock("KudosRelay is still starting. Please try again in a minute.")]));
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        budget.CancelAfter(HandlerBudget);
        try
        {
            return await handler.HandleAsync(request, budget.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            LogSlow(request.GetType().Name);
            return new ChatResponse(new ChatMessage("That took too long.", [new TextBlock("Sorry, that took longer than Slack lets me wait. Please try again.")]));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHandlerFailed(request.GetType().Name, exception.GetType().Name);
            return new ChatResponse(new ChatMessage("Something went wrong.", [new TextBlock("Sorry, something went wrong on our side. Please try again in a moment.")]));
        }
    }

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack command {Command} from workspace {Workspace}")]
    private partial void LogCommand(string command, string? workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack workspace {Workspace} is no longer served ({EventType})")]
    private partial void LogRevoked(string workspace, string? eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No chat request handler is registered; Slack requests get a 'not ready' reply")]
    private partial void LogNoHandler();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling a Slack {Request} took longer than Slack waits")]
    private partial void LogSlow(string request);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a Slack {Request} failed with {ExceptionType}")]
    private partial void LogHandlerFailed(string request, string exceptionType);
}
