using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KudosRelay.Testing;

/// <summary>
/// A small JSON Schema checker for the specification files in <c>../shared/specs</c> (Adaptive Cards
/// draft-06, Teams manifest draft-04, Slack manifest draft-07, Swagger 2.0 definitions). No validator
/// package restores here; this covers the keywords those files use: $ref within the document, type,
/// properties, patternProperties, required, additionalProperties, items, uniqueItems, enum, const,
/// pattern, lengths, counts, bounds, allOf/anyOf/oneOf, if/then. Unknown keywords (format,
/// descriptions, x-*) are ignored. Returns the failures as JSON paths.
/// </summary>
public sealed class SchemaValidator(JsonNode document, bool closedObjects = false)
{
    /// <summary>
    /// With <c>closedObjects</c>, an object schema that lists properties but says nothing about
    /// others allows no others: Swagger models are open by default, and we want to prove we send
    /// nothing the Connector does not define.
    /// </summary>
    public bool ClosedObjects { get; } = closedObjects;

    public IReadOnlyList<string> Validate(JsonNode? instance, JsonNode schema)
    {
        var errors = new List<string>();
        Check(instance, schema, "$", errors, 0);
        return errors;
    }

    /// <summary>Checks against the whole document as the schema.</summary>
    public IReadOnlyList<string> Validate(JsonNode? instance) => Validate(instance, document);

    public IReadOnlyList<string> Validate(JsonNode? instance, string reference) => Validate(instance, Resolve(reference));

    public JsonNode Resolve(string reference)
    {
        var node = document;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node![part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]
                ?? throw new KeyNotFoundException(reference);
        return node!;
    }

    private void Check(JsonNode? value, JsonNode? schemaNode, string path, List<string> errors, int depth)
    {
        if (schemaNode is not JsonObject schema || depth > 64)
            return;
        if (schema["$ref"] is JsonValue reference)
        {
            Check(value, Resolve(reference.GetValue<string>()), path, errors, depth + 1);
            return;
        }
        if (schema["type"] is { } type && !MatchesType(value, type))
        {
            errors.Add($"{path}: expected {type.ToJsonString()}, got {Kind(value)}");
            return;
        }
        if (schema["enum"] is JsonArray options && !options.Any(option => JsonNode.DeepEquals(option, value)))
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {options.ToJsonString()}");
        if (schema["const"] is { } constant && !JsonNode.DeepEquals(constant, value))
            errors.Add($"{path}: must be {constant.ToJsonString()}");
        if (schema["allOf"] is JsonArray all)
            foreach (var part in all)
                Check(value, part, path, errors, depth + 1);
        if (schema["anyOf"] is JsonArray any && !any.Any(part => Passes(value, part, path, depth)))
            errors.Add($"{path}: matches none of anyOf");
        if (schema["oneOf"] is JsonArray one && one.Count(part => Passes(value, part, path, depth)) != 1)
            errors.Add($"{path}: must match exactly one of oneOf");
        if (schema["if"] is { } condition && Passes(value, condition, path, depth) && schema["then"] is { } then)
            Check(value, then, path, errors, depth + 1);

        switch (value)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, errors, depth);
                break;
            case JsonArray array:
                if (schema["minItems"] is JsonValue minItems && array.Count < minItems.GetValue<int>())
                    errors.Add($"{path}: fewer than {minItems} items");
                if (schema["maxItems"] is JsonValue maxItems && array.Count > maxItems.GetValue<int>())
                    errors.Add($"{path}: more than {maxItems} items");
                if (schema["uniqueItems"] is JsonValue unique && unique.GetValue<bool>()
                    && array.Select(item => item?.ToJsonString()).Distinct().Count() != array.Count)
                    errors.Add($"{path}: items are not unique");
                if (schema["items"] is JsonObject items)
                    for (var i = 0; i < array.Count; i++)
                        Check(array[i], items, $"{path}[{i}]", errors, depth + 1);
                break;
            case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                if (schema["maxLength"] is JsonValue maxLength && text.Length > maxLength.GetValue<int>())
                    errors.Add($"{path}: longer than {maxLength}");
                if (schema["minLength"] is JsonValue minLength && text.Length < minLength.GetValue<int>())
                    errors.Add($"{path}: shorter than {minLength}");
                if (schema["pattern"] is JsonValue pattern && !Regex.IsMatch(text, pattern.GetValue<string>()))
                    errors.Add($"{path}: does not match {pattern}");
                break;
            case JsonValue number when number.TryGetValue<double>(out var d):
                if (schema["minimum"] is JsonValue minimum && d < minimum.GetValue<double>())
                    errors.Add($"{path}: below {minimum}");
                if (schema["maximum"] is JsonValue maximum && d > maximum.GetValue<double>())
                    errors.Add($"{path}: above {maximum}");
                break;
        }
    }

    private void CheckObject(JsonObject obj, JsonObject schema, string path, List<string> errors, int depth)
    {
        if (schema["required"] is JsonArray required)
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(name => !obj.ContainsKey(name)))
                errors.Add($"{path}: missing required '{name}'");
        if (schema["minProperties"] is JsonValue minProperties && obj.Count < minProperties.GetValue<int>())
            errors.Add($"{path}: fewer than {minProperties} properties");
        if (schema["maxProperties"] is JsonValue maxProperties && obj.Count > maxProperties.GetValue<int>())
            errors.Add($"{path}: more than {maxProperties} properties");
        var properties = schema["properties"] as JsonObject;
        var patterns = schema["patternProperties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            var matched = false;
            if (properties?[name] is { } propertySchema)
            {
                matched = true;
                Check(child, propertySchema, $"{path}.{name}", errors, depth + 1);
            }
            foreach (var (pattern, patternSchema) in patterns ?? [])
            {
                if (Regex.IsMatch(name, pattern))
                {
                    matched = true;
                    Check(child, patternSchema, $"{path}.{name}", errors, depth + 1);
                }
            }
            if (matched)
                continue;
            if (schema["additionalProperties"] is JsonValue allowed && !allowed.GetValue<bool>())
                errors.Add($"{path}: property '{name}' is not allowed");
            else if (schema["additionalProperties"] is JsonObject additional)
                Check(child, additional, $"{path}.{name}", errors, depth + 1);
            else if (ClosedObjects && properties is not null && schema["additionalProperties"] is null)
                errors.Add($"{path}: property '{name}' is not in the specification");
        }
    }

    private bool Passes(JsonNode? value, JsonNode? schema, string path, int depth)
    {
        var errors = new List<string>();
        Check(value, schema, path, errors, depth + 1);
        return errors.Count == 0;
    }

    private static bool MatchesType(JsonNode? value, JsonNode type) => type switch
    {
        JsonArray types => types.Any(t => MatchesType(value, t!)),
        _ => type.GetValue<string>() switch
        {
            "object" => value is JsonObject,
            "array" => value is JsonArray,
            "string" => value is JsonValue v && v.TryGetValue<string>(out _),
            "boolean" => value is JsonValue b && b.TryGetValue<bool>(out _),
            "integer" => value is JsonValue i && i.TryGetValue<double>(out var n) && Math.Abs(n % 1) < double.Epsilon,
            "number" => value is JsonValue x && x.TryGetValue<double>(out _),
            "null" => value is null,
            _ => true,
        },
    };

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind().ToString().ToLowerInvariant(),
    };
}
