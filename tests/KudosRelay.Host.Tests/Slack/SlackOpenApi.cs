using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;
using KudosRelay.Testing;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>
/// Checks a call the fake received against the parameters Slack's Web API OpenAPI declares for that
/// method: every parameter sent is declared, every required one is sent. The spec's <c>token</c>
/// parameter travels as the <c>Authorization: Bearer</c> header, as Slack documents for JSON bodies.
/// </summary>
internal static class SlackOpenApi
{
    private static readonly Lazy<JsonObject> Spec = new(() => JsonNode.Parse(SpecFiles.Read("slack", "web-api", "slack_web_openapi_v2.json"))!.AsObject());

    /// <summary>
    /// Arguments Slack documents but added after its OpenAPI file was last published (2020): message metadata
    /// (<c>chat.postMessage</c> <c>metadata</c>, <c>conversations.history</c> <c>include_all_metadata</c>, 2022).
    /// </summary>
    private static readonly Dictionary<string, string[]> NewerThanTheSpec = new(StringComparer.Ordinal)
    {
        ["chat.postMessage"] = ["metadata"],
        ["conversations.history"] = ["include_all_metadata"],
    };

    public static void AssertParametersMatch(string method, SlackCall call)
    {
        var operation = Spec.Value["paths"]![$"/{method}"]!.AsObject().Single().Value!;
        var parameters = operation["parameters"]!.AsArray()
            .Select(p => (Name: (string)p!["name"]!, Required: (bool?)p["required"] ?? false))
            .Where(p => p.Name != "token")
            .Concat(NewerThanTheSpec.GetValueOrDefault(method, []).Select(name => (Name: name, Required: false)))
            .ToList();

        var sent = call.ContentType switch
        {
            { } json when json.StartsWith("application/json", StringComparison.Ordinal) => call.Json.Select(p => p.Key).ToHashSet(),
            { } form when form.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) => QueryHelpers.ParseQuery(call.Body).Keys.ToHashSet(),
            _ => QueryHelpers.ParseQuery(call.Query).Keys.ToHashSet(),
        };

        Assert.StartsWith("Bearer xoxb-", call.Authorization, StringComparison.Ordinal);
        Assert.All(sent, name => Assert.Contains(name, parameters.Select(p => p.Name)));
        Assert.All(parameters.Where(p => p.Required), p => Assert.Contains(p.Name, sent));
    }
}
