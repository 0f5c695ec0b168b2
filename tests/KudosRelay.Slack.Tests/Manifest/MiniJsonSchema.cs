using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KudosRelay.Slack.Tests.Manifest;

/// <summary>
/// Just enough of JSON Schema draft 7 to check a Slack manifest against Slack's schema: the keywords
/// that schema uses (type, properties, additionalProperties, patternProperties, required, items,
/// min/maxItems, uniqueItems, min/maxLength, pattern, enum, const, min/maxProperties, anyOf, oneOf,
/// allOf, local $ref). Unknown keywords are ignored, as the standard says. It is itself tested
/// against the schema's own valid and invalid fixtures.
/// </summary>
internal sealed class MiniJsonSchema(JsonObject root)
{
    public List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonNode? schemaNode, JsonNode? value, string path, List<string> errors)
    {
        if (schemaNode is not JsonObject schema)
            return;

        if (schema["$ref"] is JsonValue reference)
        {
            Check(Resolve((string)reference!), value, path, errors);
            return;
        }

        if (schema["type"] is JsonValue type && !IsType(value, (string)type!))
        {
            errors.Add($"{path}: expected {type}");
            return;
        }
        if (schema["const"] is { } constant && !JsonNode.DeepEquals(constant, value))
            errors.Add($"{path}: expected {constant.ToJsonString()}");
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
            errors.Add($"{path}: not one of {options.ToJsonString()}");

        if (schema["allOf"] is JsonArray all)
            foreach (var s in all)
                Check(s, value, path, errors);
        if (schema["anyOf"] is JsonArray any && !any.Any(s => Passes(s, value, path)))
            errors.Add($"{path}: matches none of anyOf");
        if (schema["oneOf"] is JsonArray one && one.Count(s => Passes(s, value, path)) != 1)
            errors.Add($"{path}: does not match exactly one of oneOf");

        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, errors);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                var text = (string)scalar!;
                if (schema["minLength"] is { } min && text.Length < (int)min)
                    errors.Add($"{path}: shorter than {min}");
                if (schema["maxLength"] is { } max && text.Length > (int)max)
                    errors.Add($"{path}: longer than {max}");
                if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, (string)pattern!))
                    errors.Add($"{path}: does not match {pattern}");
                break;
        }
    }

    private void CheckObject(JsonObject schema, JsonObject obj, string path, List<string> errors)
    {
        if (schema["required"] is JsonArray required)
            foreach (var name in required.Select(r => (string)r!).Where(name => !obj.ContainsKey(name)))
                errors.Add($"{path}: missing {name}");
        if (schema["minProperties"] is { } minProps && obj.Count < (int)minProps)
            errors.Add($"{path}: fewer than {minProps} properties");
        if (schema["maxProperties"] is { } maxProps && obj.Count > (int)maxProps)
            errors.Add($"{path}: more than {maxProps} properties");

        var properties = schema["properties"] as JsonObject;
        var patterns = schema["patternProperties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            var matched = false;
            if (properties?[name] is { } propertySchema)
            {
                matched = true;
                Check(propertySchema, child, $"{path}.{name}", errors);
            }
            foreach (var (pattern, patternSchema) in patterns ?? [])
            {
                if (Regex.IsMatch(name, pattern))
                {
                    matched = true;
                    Check(patternSchema, child, $"{path}.{name}", errors);
                }
            }
            if (!matched && schema["additionalProperties"] is { } additional)
            {
                if (additional.GetValueKind() == JsonValueKind.False)
                    errors.Add($"{path}: unexpected property {name}");
                else
                    Check(additional, child, $"{path}.{name}", errors);
            }
        }
    }

    private void CheckArray(JsonObject schema, JsonArray array, string path, List<string> errors)
    {
        if (schema["minItems"] is { } min && array.Count < (int)min)
            errors.Add($"{path}: fewer than {min} items");
        if (schema["maxItems"] is { } max && array.Count > (int)max)
            errors.Add($"{path}: more than {max} items");
        if (schema["uniqueItems"]?.GetValueKind() == JsonValueKind.True
            && array.Select(i => i?.ToJsonString()).Distinct().Count() != array.Count)
            errors.Add($"{path}: items are not unique");
        if (schema["items"] is JsonObject items)
            for (var i = 0; i < array.Count; i++)
                Check(items, array[i], $"{path}[{i}]", errors);
    }

    private bool Passes(JsonNode? schema, JsonNode? value, string path)
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors.Count == 0;
    }

    private JsonNode Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new NotSupportedException($"only local references are supported, not {reference}");
        JsonNode node = root;
        foreach (var part in reference[2..].Split('/'))
            node = node[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]
                ?? throw new KeyNotFoundException(reference);
        return node;
    }

    private static bool IsType(JsonNode? value, string type) => (type, value?.GetValueKind()) switch
    {
        ("object", JsonValueKind.Object) => true,
        ("array", JsonValueKind.Array) => true,
        ("string", JsonValueKind.String) => true,
        ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
        ("number", JsonValueKind.Number) => true,
        ("integer", JsonValueKind.Number) => value!.GetValue<JsonElement>().TryGetInt64(out _),
        ("null", JsonValueKind.Null or null) => true,
        _ => false,
    };
}
