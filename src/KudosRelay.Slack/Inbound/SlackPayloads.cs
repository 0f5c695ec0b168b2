using KudosRelay.Core.Conversations;

namespace KudosRelay.Slack.Inbound;

// Only the fields KudosRelay reads; System.Text.Json maps snake_case names (SlackWebApiClient.Json).
// Events API bodies are read by SlackEventEnvelope.Parse instead (the hot path).

/// <summary>An interactivity payload (the <c>payload</c> form field).</summary>
internal sealed record SlackInteraction(string? Type, SlackInteractionUser? User, SlackTeam? Team, string? ResponseUrl, IReadOnlyList<SlackAction>? Actions);

internal sealed record SlackInteractionUser(string? Id, string? Username, string? Name, string? TeamId);

internal sealed record SlackTeam(string? Id);

/// <summary>A button carries <c>value</c>; a <c>users_select</c> carries <c>selected_user</c> and no value.</summary>
internal sealed record SlackAction(string? ActionId, string? BlockId, string? Value, string? SelectedUser = null)
{
    /// <summary>
    /// The neutral press: for a user picked in a <c>users_select</c>, the payload is its block id (where
    /// <see cref="Rendering.BlockKitRenderer"/> puts it) and the pick is on the presser's workspace.
    /// </summary>
    public ChatRequest.ButtonPressed ToButtonPressed(ChatUser from) => SelectedUser is { Length: > 0 } picked
        ? new ChatRequest.ButtonPressed(from, ActionId ?? "", BlockId ?? "", new ChatUser(from.Platform, from.Workspace, picked))
        : new ChatRequest.ButtonPressed(from, ActionId ?? "", Value ?? "");
}
