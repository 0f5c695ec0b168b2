using System.Data.Common;
using System.Globalization;
using Dapper;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

/// <summary>The buttons on an agent's customer-kudos message; each carries the feedback item's id.</summary>
internal static class KudosDmButtons
{
    public const string PassItOn = "kudos.pass";
    public const string Share = "kudos.share";

    /// <summary>On the message of a colleague the thanks was passed on to: thank the agent who passed it.</summary>
    public const string ThankBack = "kudos.thank-back";
}

/// <summary>
/// What the agent's kudos message shows besides the praise: who the thanks was passed on to, and
/// whether "Share with the team" is offered (the team's channel posting is off) or was pressed.
/// </summary>
internal sealed record KudosDmState(long FeedbackId, bool CanShare, bool Shared, IReadOnlyList<string> PassedTo)
{
    public static KudosDmState Fresh(long feedbackId, bool canShare) => new(feedbackId, canShare, false, []);

    /// <summary>Outbox keys of a feedback item's team-channel posts: the same whether posted at once or shared later, so a channel hears it once.</summary>
    public static string TeamPostKey(long feedbackId, string platform) => $"{TeamPostPrefix(feedbackId)}{platform}";

    public static string PassedOnKey(long feedbackId, long colleagueId) =>
        string.Create(CultureInfo.InvariantCulture, $"feedback:{feedbackId}:pass:{colleagueId}");

    public static string ThankedBackKey(long feedbackId, long colleagueId) => $"{PassedOnKey(feedbackId, colleagueId)}:thanks-back";

    private static string TeamPostPrefix(long feedbackId) => string.Create(CultureInfo.InvariantCulture, $"feedback:{feedbackId}:team:");

    /// <summary>The state as stored: kudos the agent passed on from this item, and team posts in the outbox.</summary>
    public static async Task<KudosDmState> LoadAsync(DbTransaction transaction, OutboxStore outbox, FeedbackItem item, TeamInfo? team, CancellationToken cancellationToken)
    {
        var passedTo = (await transaction.Connection!.QueryAsync<string>(new CommandDefinition("""
            SELECT p.display_name
            FROM kudos k JOIN people p ON p.id = k.recipient_person_id
            WHERE k.feedback_item_id = @FeedbackId AND k.kind = @Peer AND k.giver_person_id = @AgentId
            ORDER BY k.id
            """, new { FeedbackId = item.Id, Peer = KudosKind.Peer, AgentId = item.AgentPersonId }, transaction, cancellationToken: cancellationToken))).ToList();
        var shared = (await outbox.FindByKeyPrefixAsync(transaction, TeamPostPrefix(item.Id), cancellationToken)).Count > 0;
        var hasChannels = team is not null && (await PeopleLookup.TeamChannelsAsync(transaction, team.Id, cancellationToken)).Count > 0;
        return new KudosDmState(item.Id, CanShare: hasChannels && team is { PostKudos: false }, shared, passedTo);
    }

    /// <summary>
    /// The feedback item behind a press on the agent's message, with the agent and their team; or the
    /// answer to give when the press cannot act (someone else's kudos, withdrawn feedback, an old button).
    /// </summary>
    public static async Task<(PressContext? Context, ChatResponse? Refusal)> PressContextAsync(
        DbTransaction transaction, FeedbackStore feedback, ChatRequest.ButtonPressed button, CancellationToken cancellationToken)
    {
        if (!long.TryParse(button.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var feedbackId))
            return (null, new ChatResponse(ConversationMessages.ButtonNoLongerActive(null)));
        var presser = await PeopleLookup.FindByChatUserAsync(transaction, button.From.Platform, button.From.UserId, cancellationToken);
        if (presser is null)
            return (null, new ChatResponse(ConversationMessages.NotKnownYet(null)));
        var item = await feedback.GetAsync(transaction, feedbackId, cancellationToken);
        if (item is null)
            return (null, new ChatResponse(ConversationMessages.ButtonNoLongerActive(presser.Locale)));
        if (item.AgentPersonId != presser.Id)
            return (null, new ChatResponse(KudosMessages.NotYourKudos(presser.Locale)));
        if (item.Status != FeedbackStatus.Relayed)
            return (null, new ChatResponse(KudosMessages.KudosWithdrawn(presser.Locale)));
        var team = item.TeamId is { } teamId ? await PeopleLookup.FindTeamByIdAsync(transaction, teamId, cancellationToken) : null;
        return (new PressContext(presser, item, team), null);
    }

    /// <summary>The agent's message as it should look now, to replace the one whose button was pressed.</summary>
    public static async Task<ChatMessage> CurrentMessageAsync(DbTransaction transaction, OutboxStore outbox, PressContext press, CancellationToken cancellationToken) =>
        KudosMessages.CustomerKudosForAgent(press.Agent, Praise.Of(press.Item), press.Team?.Name,
            await LoadAsync(transaction, outbox, press.Item, press.Team, cancellationToken));
}

/// <summary>A press on an agent's kudos message that may act: the agent, their feedback item and its team.</summary>
internal sealed record PressContext(Person Agent, FeedbackItem Item, TeamInfo? Team);
