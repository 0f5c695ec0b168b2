namespace KudosRelay.Slack.Inbound;

// Only the fields KudosRelay reads; System.Text.Json maps snake_case names (SlackWebApiClient.Json).
// Events API bodies are read by SlackEventEnvelope.Parse instead (the hot path).

/// <summary>An interactivity payload (the <c>payload</c> form field).</summary>
internal sealed record SlackInteraction(string? Type, SlackInteractionUser? User, SlackTeam? Team, string? ResponseUrl, IReadOnlyList<SlackAction>? Actions);

internal sealed record SlackInteractionUser(string? Id, string? Username, string? Name, string? TeamId);

internal sealed record SlackTeam(string? Id);

internal sealed record SlackAction(string? ActionId, string? BlockId, string? Value);
