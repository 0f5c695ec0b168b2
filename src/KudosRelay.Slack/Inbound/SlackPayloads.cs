using System.Text;
using System.Text.Json;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Slack.WebApi;

namespace KudosRelay.Slack.Inbound;

// Only the fields KudosRelay reads; System.Text.Json maps snake_case names (SlackWebApiClient.Json).
// Events API bodies are read by SlackEventEnvelope.Parse instead (the hot path).

/// <summary>An interactivity payload (the <c>payload</c> form field).</summary>
internal sealed record SlackInteraction(
    string? Type, SlackInteractionUser? User, SlackTeam? Team, string? ResponseUrl, IReadOnlyList<SlackAction?>? Actions,
    SlackViewState? State = null, SlackView? View = null, string? TriggerId = null)
{
    /// <summary>
    /// The payload, or what is wrong with it by field: text that is not text, or a value of the wrong JSON type
    /// (<c>"actions":[5]</c>). A null element (<c>"actions":[null]</c>) reads as null, for the caller to pass over.
    /// </summary>
    public static (SlackInteraction? Interaction, InboundProblem? Problem) Read(string? payload)
    {
        if (payload is null)
            return (null, null);
        var json = Encoding.UTF8.GetBytes(payload);
        if (InboundJson.FindUnreadableText(json) is { } unreadable)
            return (null, unreadable);
        try
        {
            return (JsonSerializer.Deserialize<SlackInteraction>(json, SlackWebApiClient.Json), null);
        }
        catch (JsonException exception)
        {
            return (null, new InboundProblem(exception.Path ?? "$", "is not of the JSON type Slack sends"));
        }
    }
}


/// <summary>A modal as Slack sends it back with <c>view_submission</c>.</summary>
internal sealed record SlackView(string? Id, string? CallbackId, string? PrivateMetadata, SlackViewState? State);

/// <summary>
/// What the input blocks of a view or message held: <c>values[block_id][action_id]</c>. Our renderer makes each
/// input's action id its neutral id, so the values are read by action id, whatever the block id.
/// </summary>
internal sealed record SlackViewState(IReadOnlyDictionary<string, IReadOnlyDictionary<string, SlackInputValue>>? Values)
{
    public IReadOnlyDictionary<string, string> ByActionId()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in Values?.Values ?? [])
            foreach (var (actionId, input) in block)
                if (input.Text is { Length: > 0 } text)
                    values[actionId] = text;
        return values;
    }
}

/// <summary>One input's state: <c>value</c> (text), <c>selected_option</c>, <c>selected_user</c> or <c>selected_date</c>.</summary>
internal sealed record SlackInputValue(string? Type, string? Value, SlackOption? SelectedOption, string? SelectedUser, string? SelectedDate)
{
    public string? Text => Value ?? SelectedOption?.Value ?? SelectedUser ?? SelectedDate;
}

internal sealed record SlackOption(string? Value);

internal sealed record SlackInteractionUser(string? Id, string? Username, string? Name, string? TeamId);

internal sealed record SlackTeam(string? Id);

/// <summary>A button carries <c>value</c>; a <c>users_select</c> carries <c>selected_user</c> and no value.</summary>
internal sealed record SlackAction(string? ActionId, string? BlockId, string? Value, string? SelectedUser = null)
{
    /// <summary>
    /// The neutral press: for a user picked in a <c>users_select</c>, the payload is its block id (where
    /// <see cref="Rendering.BlockKitRenderer"/> puts it) and the pick is on the presser's workspace.
    /// </summary>
    public ChatRequest.ButtonPressed ToButtonPressed(ChatUser from, IReadOnlyDictionary<string, string>? inputs = null) => SelectedUser is { Length: > 0 } picked
        ? new ChatRequest.ButtonPressed(from, ActionId ?? "", BlockId ?? "", new ChatUser(from.Platform, from.Workspace, picked), inputs)
        : new ChatRequest.ButtonPressed(from, ActionId ?? "", Value ?? "", Inputs: inputs);
}
