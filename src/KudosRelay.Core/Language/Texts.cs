using System.Globalization;
using System.Text;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Language;

/// <summary>
/// One feature's texts in one language, with named placeholders filled in:
/// <c>texts.Format("peer-kudos.sent", ("name", "Ana"))</c>, <c>texts.Count("customers", 5)</c>.
/// A key missing from the language's file falls back to English (the catalogue tests keep that from happening).
/// </summary>
internal sealed class Texts(
    string feature,
    string language,
    string pluralRule,
    IReadOnlyDictionary<string, CatalogueEntry> entries,
    IReadOnlyDictionary<string, CatalogueEntry> english)
{
    public string Feature { get; } = feature;

    public string Language { get; } = language;

    public CultureInfo Culture { get; } = CultureInfo.GetCultureInfo(language);

    public string this[string key] => Format(key);

    /// <summary>A one-paragraph answer: <c>{key}.summary</c> for the notification, <c>{key}</c> in the message.</summary>
    public ChatMessage Answer(string key) => new(this[$"{key}.summary"], [new TextBlock(this[key])]);

    public string Format(string key, params ReadOnlySpan<(string Name, object? Value)> values) =>
        Fill(Entry(key).Text ?? throw new InvalidOperationException($"{Feature}/{key} has plural forms: use Count"), values);

    /// <summary>The plural form of <paramref name="key"/> for <paramref name="count"/>, which is also the placeholder <c>{count}</c>.</summary>
    public string Count(string key, long count, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        var entry = Entry(key);
        var forms = entry.Forms ?? throw new InvalidOperationException($"{Feature}/{key} is not a plural message: use Format");
        var text = forms.GetValueOrDefault(PluralRules.For(pluralRule, count)) ?? forms.GetValueOrDefault(PluralCategory.Other) ?? forms.Values.First();
        return Fill(text.Replace("{count}", count.ToString("N0", Culture), StringComparison.Ordinal), values);
    }

    private CatalogueEntry Entry(string key) =>
        entries.GetValueOrDefault(key) ?? english.GetValueOrDefault(key)
        ?? throw new KeyNotFoundException($"the message catalogue has no {Feature}/{key}");

    private string Fill(string text, ReadOnlySpan<(string Name, object? Value)> values)
    {
        if (values.IsEmpty || !text.Contains('{', StringComparison.Ordinal))
            return text;
        var filled = new StringBuilder(text.Length + 32);
        var rest = text.AsSpan();
        while (rest.IndexOf('{') is var open and >= 0 && rest[open..].IndexOf('}') is var length and > 0)
        {
            filled.Append(rest[..open]);
            var name = rest.Slice(open + 1, length - 1);
            if (Value(name, values) is { } value)
                filled.Append(value);
            else
                filled.Append(rest.Slice(open, length + 1));
            rest = rest[(open + length + 1)..];
        }
        return filled.Append(rest).ToString();
    }

    private string? Value(ReadOnlySpan<char> name, ReadOnlySpan<(string Name, object? Value)> values)
    {
        foreach (var (candidate, value) in values)
        {
            if (name.SequenceEqual(candidate))
                return value switch
                {
                    null => "",
                    IFormattable formattable => formattable.ToString(null, Culture),
                    _ => value.ToString(),
                };
        }
        return null;
    }
}
