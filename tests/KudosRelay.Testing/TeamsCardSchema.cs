using System.Text.Json.Nodes;

namespace KudosRelay.Testing;

/// <summary>
/// An Adaptive Card as Teams takes it. The Adaptive Cards schemas allow no property they do not list and do not list
/// Teams' own <c>msteams</c> (mention entities), so the card is checked without it against <paramref name="card"/>
/// (e.g. <c>adaptivecards/adaptive-card.schema.1.5.json</c>), and <c>msteams</c> against the Teams SDK's
/// <c>TeamsCardProperties</c>.
/// </summary>
public sealed class TeamsCardSchema(params string[] card)
{
    private static readonly SpecSchema TeamsProperties = SpecSchema.Definition("TeamsCardProperties", "adaptivecards", "teams-sdk-cards.schema.json");

    private readonly SpecSchema cardSchema = SpecSchema.Load(card);

    public IReadOnlyList<string> Validate(JsonNode? instance)
    {
        if (instance is not JsonObject { } withTeams || !withTeams.ContainsKey("msteams"))
            return cardSchema.Validate(instance);
        var adaptiveCard = withTeams.DeepClone().AsObject();
        var teams = adaptiveCard["msteams"];
        adaptiveCard.Remove("msteams");
        return [.. cardSchema.Validate(adaptiveCard), .. TeamsProperties.Validate(teams).Select(error => $"/msteams{error}")];
    }
}
