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

    private static readonly Dictionary<string, TeamsCardSchema> ByVersion = new()
    {
        ["1.5"] = new("adaptivecards", "adaptive-card.schema.1.5.json"),
        ["1.6"] = new("adaptivecards", "adaptive-card.schema.1.6.json"),
    };

    /// <summary>Checks a card against the schema of the version it declares; a version without a schema here is an error.</summary>
    public static IReadOnlyList<string> ValidateDeclared(JsonNode? card) =>
        card?["version"]?.GetValue<string>() is { } version && ByVersion.TryGetValue(version, out var schema)
            ? schema.Validate(card)
            : [$"/version: no schema for the declared version '{card?["version"]}'"];

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
