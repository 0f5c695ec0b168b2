using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KudosRelay.Testing;

namespace KudosRelay.Host.Tests.Teams;

/// <summary>Checks a call recorded at the fake Connector against <c>botframework-channel.swagger.json</c>.</summary>
internal static class ConnectorSwagger
{
    private static readonly JsonNode Swagger = SpecFiles.Load("botframework/connector/botframework-channel.swagger.json");
    private static readonly ConcurrentDictionary<string, SpecSchema> BodySchemas = new();

    /// <summary>The operation id the call matches, and what is wrong with its body (empty when nothing).</summary>
    public static (string? OperationId, IReadOnlyList<string> Errors) Check(FakeBotFramework.ConnectorCall call)
    {
        foreach (var (template, item) in Swagger["paths"]!.AsObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$";
            if (!Regex.IsMatch(call.Path, pattern) || item![call.Method.ToLowerInvariant()] is not JsonObject operation)
                continue;
            var body = operation["parameters"]!.AsArray().FirstOrDefault(p => p!["in"]!.GetValue<string>() == "body");
            var operationId = operation["operationId"]!.GetValue<string>();
            var errors = body is null ? [] : BodySchemas
                .GetOrAdd(operationId, _ => SpecSchema.ForSwaggerBody(Swagger, body["schema"]!, closedObjects: true))
                .Validate(call.Body);
            return (operationId, errors);
        }
        return (null, [$"{call.Method} {call.Path} is not a Connector operation"]);
    }
}
