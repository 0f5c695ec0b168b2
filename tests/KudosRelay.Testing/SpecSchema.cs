using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace KudosRelay.Testing;

/// <summary>
/// A JSON Schema from <c>tests/specs</c> (Adaptive Cards, Teams and Slack manifests) or a body schema of a
/// Swagger 2.0 file (Bot Connector), evaluated by JsonSchema.Net with <c>format</c> asserted.
/// <see cref="Validate"/> returns one line per failure: the instance location as a JSON pointer, then why.
/// </summary>
public sealed class SpecSchema
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly JsonSchema schema;

    private SpecSchema(JsonObject document, string name)
    {
        ReadDraft4AsDraft6(document);
        DropBooleanRequired(document);
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = DialectOf(document) };
        schema = JsonSchema.Build(JsonSerializer.SerializeToElement(document), options, new Uri($"https://specs.kudosrelay.test/{name}"));
    }

    /// <summary>A schema file under <c>tests/specs</c>, e.g. <c>adaptivecards/adaptive-card.schema.1.5.json</c>.</summary>
    public static SpecSchema Load(params string[] parts) => new(SpecFiles.Load(parts).AsObject(), string.Join('/', parts));

    /// <summary>One definition of a schema file under <c>tests/specs</c>, with the file's other definitions beside it.</summary>
    public static SpecSchema Definition(string definition, params string[] parts)
    {
        var file = SpecFiles.Load(parts).AsObject();
        var document = new JsonObject
        {
            ["$schema"] = file["$schema"]!.DeepClone(),
            ["$ref"] = $"#/definitions/{definition}",
            ["definitions"] = file["definitions"]!.DeepClone(),
        };
        return new SpecSchema(document, $"{string.Join('/', parts)}#{definition}");
    }

    /// <summary>
    /// A body schema of a Swagger 2.0 operation, with the file's <c>definitions</c> beside it so that
    /// <c>#/definitions/…</c> references resolve. Swagger models allow any extra property; with
    /// <paramref name="closedObjects"/> a model that lists its properties allows no others, which proves we
    /// send nothing the specification does not define. The Swagger-only formats (<c>int32</c>, <c>double</c>,
    /// <c>byte</c>) are dropped: JSON Schema does not define them.
    /// </summary>
    public static SpecSchema ForSwaggerBody(JsonNode swagger, JsonNode bodySchema, bool closedObjects)
    {
        var document = bodySchema.DeepClone().AsObject();
        document["$schema"] = "http://json-schema.org/draft-07/schema#";
        document["definitions"] = swagger["definitions"]!.DeepClone();
        Adapt(document, closedObjects);
        return new SpecSchema(document, "swagger-body");
    }

    public IReadOnlyList<string> Validate(JsonNode? instance)
    {
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), Evaluation);
        if (results.IsValid)
            return [];
        return [.. (results.Details ?? [results])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{Location(detail)}: {error.Key}: {error.Value} (schema {detail.EvaluationPath})"))
            .Distinct()];
    }

    private static string Location(EvaluationResults detail) => detail.InstanceLocation.ToString() is { Length: > 0 } pointer ? pointer : "/";

    /// <summary>
    /// JsonSchema.Net evaluates draft 6 and later. The Teams manifest declares draft-04 but is written with
    /// draft-06 keywords (<c>const</c>) and uses none whose meaning changed, so it is read as draft-06.
    /// </summary>
    private static void ReadDraft4AsDraft6(JsonObject document)
    {
        if ((string?)document["$schema"] == "http://json-schema.org/draft-04/schema#")
            document["$schema"] = "http://json-schema.org/draft-06/schema#";
    }

    /// <summary>The dialect <c>$schema</c> names; set explicitly, as the library's default dialect refuses unknown keywords.</summary>
    private static Dialect DialectOf(JsonObject document) =>
        (string?)document["$schema"] == "http://json-schema.org/draft-06/schema#" ? Dialect.Draft06 : Dialect.Draft07;

    /// <summary>
    /// Adaptive Cards 1.6 has two draft-03 leftovers, <c>"required": false</c> on a property, which draft 6
    /// forbids and which never required anything.
    /// </summary>
    private static void DropBooleanRequired(JsonNode? node)
    {
        if (node is JsonObject schemaObject && schemaObject["required"] is JsonValue { } required && required.GetValueKind() is JsonValueKind.False or JsonValueKind.True)
            schemaObject.Remove("required");
        foreach (var child in node switch { JsonObject o => o.Select(pair => pair.Value), JsonArray a => a.AsEnumerable(), _ => [] })
            DropBooleanRequired(child);
    }

    private static void Adapt(JsonNode? node, bool closedObjects)
    {
        switch (node)
        {
            case JsonObject schemaObject:
                if (schemaObject["format"] is JsonValue format && format.GetValueKind() == JsonValueKind.String
                    && (string)format! is "int32" or "int64" or "double" or "float" or "byte")
                    schemaObject.Remove("format");
                if (closedObjects && schemaObject["properties"] is JsonObject && !schemaObject.ContainsKey("additionalProperties"))
                    schemaObject["additionalProperties"] = false;
                foreach (var (_, child) in schemaObject.ToList())
                    Adapt(child, closedObjects);
                break;
            case JsonArray array:
                foreach (var child in array)
                    Adapt(child, closedObjects);
                break;
        }
    }
}
