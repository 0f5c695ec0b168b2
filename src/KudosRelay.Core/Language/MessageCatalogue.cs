using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace KudosRelay.Core.Language;

/// <summary>
/// Every text a person reads, from the files <c>{Feature}/Messages/{language}.yaml</c> embedded in this assembly:
/// one file per feature and language, each key either a text or, for counts, one text per CLDR plural category.
/// Placeholders are named (<c>{agent}</c>). English is complete by definition and is the fallback; the catalogue
/// tests fail when another language lacks a key, has an extra one, or uses other placeholders.
/// </summary>
internal sealed partial class MessageCatalogue
{
    public const string English = "en";

    /// <summary>The words every feature shares (moments in time) and each language's plural rule.</summary>
    public const string SharedFeature = "Language";

    public const string PluralRuleKey = "plural-rule";

    /// <summary>Each file's entries, read when first asked for: a command or the server uses a few of the twenty, and reading them all added ~25 ms to every start.</summary>
    private readonly FrozenDictionary<(string Feature, string Language), Lazy<FrozenDictionary<string, CatalogueEntry>>> files;

    /// <summary>Each feature's texts per language, made once: a sweep or a digest asks for them thousands of times.</summary>
    private readonly ConcurrentDictionary<(string Feature, string Language), Texts> texts = new();

    private MessageCatalogue(Dictionary<(string Feature, string Language), Lazy<FrozenDictionary<string, CatalogueEntry>>> files, IEnumerable<(string, string)> operatorFiles)
    {
        this.files = files.ToFrozenDictionary();
        OperatorFiles = operatorFiles.ToFrozenSet();
        Languages = [.. files.Keys.Select(key => key.Language).Distinct().OrderBy(language => language == English ? "" : language, StringComparer.Ordinal)];
        Features = [.. files.Keys.Select(key => key.Feature).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The catalogue shipped with KudosRelay.</summary>
    public static MessageCatalogue Shipped { get; } = FromAssembly(typeof(MessageCatalogue).Assembly);

    /// <summary>
    /// The catalogue every feature reads: <see cref="Shipped"/>, unless the host installed one with the operator's
    /// templates (<c>Messages:Folder</c>) at start-up, after checking it.
    /// </summary>
    public static MessageCatalogue Current { get; private set; } = Shipped;

    /// <summary>Makes <paramref name="catalogue"/> the one every feature reads; the host calls it once, at start-up.</summary>
    public static void Install(MessageCatalogue catalogue) => Current = catalogue;

    /// <summary>Languages with at least one file, English first.</summary>
    public IReadOnlyList<string> Languages { get; }

    public IReadOnlyList<string> Features { get; }

    /// <summary>The files an operator's folder changed or added (see <see cref="WithFolder"/>), as feature and language.</summary>
    public IReadOnlySet<(string Feature, string Language)> OperatorFiles { get; }

    /// <summary>
    /// The texts of one feature in the language of <paramref name="locale"/> (<c>bg</c>, <c>ru-RU</c>, <c>ro</c>…);
    /// English when the bot does not speak that language.
    /// </summary>
    public Texts For(string feature, string? locale) => texts.GetOrAdd((feature, LanguageOf(locale)), Load);

    private Texts Load((string Feature, string Language) key)
    {
        var (feature, language) = key;
        var english = FileOf(feature, English) ?? throw new KeyNotFoundException($"the message catalogue has no English file for {feature}");
        return new Texts(feature, language, PluralRuleOf(language), FileOf(feature, language) ?? english, english);
    }

    /// <summary>The plural rule family a language names in its <c>Language/Messages/{language}.yaml</c> (<c>plural-rule</c>).</summary>
    public string PluralRuleOf(string language) =>
        FileOf(SharedFeature, language)?.GetValueOrDefault(PluralRuleKey)?.Text ?? PluralRules.OneOther;

    /// <summary>The language the bot uses for <paramref name="locale"/>: its language part when the catalogue has it, else English.</summary>
    public string LanguageOf(string? locale)
    {
        var language = (locale ?? "").Split('-', '_')[0].ToLowerInvariant();
        return Languages.Contains(language) ? language : English;
    }

    /// <summary>The entries of one file; null when the file does not exist.</summary>
    public IReadOnlyDictionary<string, CatalogueEntry>? Entries(string feature, string language) => FileOf(feature, language);

    private FrozenDictionary<string, CatalogueEntry>? FileOf(string feature, string language) => files.GetValueOrDefault((feature, language))?.Value;

    /// <summary>
    /// This catalogue with an operator's folder of <c>{Feature}/{language}.yaml</c> files laid over it: each key there
    /// replaces or adds that text, and a language with no shipped files is a new language. A file that is not a
    /// catalogue throws <see cref="FormatException"/> naming it.
    /// </summary>
    public MessageCatalogue WithFolder(string folder)
    {
        var merged = files.ToDictionary(pair => pair.Key, pair => pair.Value);
        var changed = new HashSet<(string, string)>(OperatorFiles);
        foreach (var featureFolder in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var feature = Path.GetFileName(featureFolder);
            foreach (var path in Directory.EnumerateFiles(featureFolder, "*.yaml").Order(StringComparer.Ordinal))
            {
                var language = Path.GetFileNameWithoutExtension(path);
                if (!LanguageCode().IsMatch(language))
                    throw new FormatException($"{path}: the file name must be a language code such as en, bg or ro");
                FrozenDictionary<string, CatalogueEntry> overrides;
                try
                {
                    using var reader = File.OpenText(path);
                    overrides = Parse(reader, path, path);
                }
                catch (YamlDotNet.Core.YamlException exception)
                {
                    throw new FormatException($"{path}: line {exception.Start.Line}, column {exception.Start.Column}: {exception.Message}", exception);
                }
                var entries = merged.TryGetValue((feature, language), out var shipped) ? shipped.Value.ToDictionary(StringComparer.Ordinal) : [];
                foreach (var (key, entry) in overrides)
                    entries[key] = entry;
                merged[(feature, language)] = new(entries.ToFrozenDictionary(StringComparer.Ordinal));
                changed.Add((feature, language));
            }
        }
        return new MessageCatalogue(merged, changed);
    }

    private static MessageCatalogue FromAssembly(Assembly assembly)
    {
        var files = new Dictionary<(string, string), Lazy<FrozenDictionary<string, CatalogueEntry>>>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (ResourceName().Match(name) is not { Success: true } match)
                continue;
            files[(match.Groups["feature"].Value, match.Groups["language"].Value)] = new(() =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return Parse(reader, name, source: null);
            });
        }
        return new MessageCatalogue(files, []);
    }

    /// <summary>
    /// Reads one catalogue file: a mapping of keys to texts, or to mappings of plural categories to texts.
    /// <paramref name="source"/> names an operator's file; shipped entries have none.
    /// </summary>
    private static FrozenDictionary<string, CatalogueEntry> Parse(TextReader reader, string fileName, string? source)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count == 0)
            return FrozenDictionary<string, CatalogueEntry>.Empty;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{fileName}: expected keys with their texts");
        var entries = new Dictionary<string, CatalogueEntry>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            entries[key] = valueNode switch
            {
                YamlScalarNode text => new CatalogueEntry(text.Value ?? "", null, source),
                YamlMappingNode forms => new CatalogueEntry(null, forms.Children.ToFrozenDictionary(
                    form => Category(((YamlScalarNode)form.Key).Value!, fileName, key),
                    form => (form.Value as YamlScalarNode)?.Value ?? throw new FormatException($"{fileName}: {key}.{((YamlScalarNode)form.Key).Value} must be a text")), source),
                _ => throw new FormatException($"{fileName}: {key} must be a text or plural forms"),
            };
        }
        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static PluralCategory Category(string name, string fileName, string key) => name switch
    {
        "one" => PluralCategory.One,
        "few" => PluralCategory.Few,
        "many" => PluralCategory.Many,
        "other" => PluralCategory.Other,
        _ => throw new FormatException($"{fileName}: {key}.{name} is not a plural category (one, few, many, other)"),
    };

    [GeneratedRegex(@"(?:^|\.)(?<feature>[A-Za-z]+)\.Messages\.(?<language>[a-z]{2,3})\.yaml$")]
    private static partial Regex ResourceName();

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguageCode();
}

/// <summary>
/// A text, or one text per plural category for a message that counts something; <paramref name="Source"/> is the
/// path of the operator's file it came from, null for a shipped text.
/// </summary>
internal sealed record CatalogueEntry(string? Text, IReadOnlyDictionary<PluralCategory, string>? Forms, string? Source = null)
{
    public IEnumerable<string> AllTexts => Text is not null ? [Text] : Forms!.Values;
}
