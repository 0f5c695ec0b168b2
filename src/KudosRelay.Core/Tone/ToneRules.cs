using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace KudosRelay.Core.Tone;

/// <summary>
/// One language's tone rules, read from <c>Tone/Rules/{language}.yaml</c> and compiled once: every phrase rule into
/// one regular expression (a group per phrase), the standing-alone imperatives into another, the softeners into a third.
/// </summary>
internal sealed class ToneRules
{
    public const string BareImperative = "bare-imperative";
    public const string Obligation = "obligation";
    public const string Pressure = "pressure";
    public const string Blame = "blame";
    public const string BossThreat = "boss-threat";
    public const string Shouting = "shouting";
    public const string RepeatedPunctuation = "repeated-punctuation";

    /// <summary>The phrase lists of a rule file, in the order they are tried when two phrases start at one place.</summary>
    private static readonly string[] PhraseRuleNames = [BossThreat, Pressure, Blame, Obligation];

    // Matched against the text in lower case (Lowered) rather than with IgnoreCase, which costs a quarter more. Compiled
    // where checks repeat (every note an agent writes, ≤ 50 µs a message); building the compiled expressions of one
    // language costs about a tenth of a second, which a one-off check (the start-up check of every template) never earns back.
    private static RegexOptions Options(bool compiled) => compiled ? RegexOptions.CultureInvariant | RegexOptions.Compiled : RegexOptions.CultureInvariant;

    private ToneRules(string language, string request, Regex phrases, PhraseRule[] phraseRules, Regex[] phrasePatterns, Regex imperatives,
        FrozenDictionary<string, string> requestForms, Regex softeners, Regex? fine, FrozenSet<string> acronyms)
    {
        Fine = fine;
        Language = language;
        Request = request;
        Phrases = phrases;
        PhraseRules = phraseRules;
        this.phrasePatterns = phrasePatterns;
        Imperatives = imperatives;
        RequestForms = requestForms;
        Softeners = softeners;
        Acronyms = acronyms;
    }

    public string Language { get; }

    /// <summary>How a standing-alone order becomes a request: <c>could you {verb}</c>.</summary>
    public string Request { get; }

    private readonly Regex[] phrasePatterns;

    /// <summary>Every phrase of every phrase rule, longest first; <see cref="PhraseAt"/> tells which one matched.</summary>
    public Regex Phrases { get; }

    public IReadOnlyList<PhraseRule> PhraseRules { get; }

    /// <summary>The phrase rule that <see cref="Phrases"/> matched at <paramref name="index"/>: the first, as in the alternation.</summary>
    public PhraseRule PhraseAt(string text, int index)
    {
        for (var i = 0; i < phrasePatterns.Length; i++)
        {
            if (phrasePatterns[i].IsMatch(text.AsSpan(), index))
                return PhraseRules[i];
        }
        throw new InvalidOperationException($"no phrase of {Language} matches at {index}");
    }

    /// <summary>An order verb at the start of a clause, with the lead-in words before it (<c>lead</c>, <c>verb</c>).</summary>
    public Regex Imperatives { get; }

    /// <summary>An imperative as written (lower case, single spaces) → its form inside <see cref="Request"/>.</summary>
    public FrozenDictionary<string, string> RequestForms { get; }

    public Regex Softeners { get; }

    /// <summary>Phrases that hold a flagged phrase and are fine ("you don't have to", "веднага щом"); null when there are none.</summary>
    public Regex? Fine { get; }

    public FrozenSet<string> Acronyms { get; }

    public static ToneRules Parse(string language, TextReader reader, bool compiled)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"Tone/Rules/{language}.yaml: expected the rule lists");

        var phraseRules = new List<PhraseRule>();
        foreach (var rule in PhraseRuleNames)
            phraseRules.AddRange(Pairs(root, rule).Select(pair => pair.Value.Split(" | ") is [var atClauseStart, var inside]
                ? new PhraseRule(pair.Key, rule, inside.Trim(), atClauseStart.Trim())
                : new PhraseRule(pair.Key, rule, pair.Value, pair.Value)));
        // Longer phrases first, so "you must" wins over "must" where both start.
        phraseRules = [.. phraseRules.OrderByDescending(rule => rule.Phrase.Length)];
        // One alternation without groups, behind one word boundary, lets the regex engine skip ahead to where a
        // phrase can start; which phrase matched is found afterwards (PhraseAt), only where something did.
        var phrases = string.Join('|', phraseRules.Select(rule => PhrasePattern(rule.Phrase)));

        var requestForms = Pairs(root, "imperatives").ToFrozenDictionary(pair => Normalise(pair.Key), pair => pair.Value, StringComparer.OrdinalIgnoreCase);
        var verbs = Alternation(requestForms.Keys);
        var leadIns = Alternation(Words(root, "lead-ins"));
        // Lead-ins such as "please" may come first; whether the match opens a clause is checked by the guard. A verb followed by a colon is a heading ("Update: …"), not an order; one followed
        // by a hyphen is an order only with a short clitic ("Faceți-o", "Trimiteți-mi"), not a compound ("Send-off");
        // one followed by a closing quote names a button ("„Изпрати“ ще го предаде").
        var imperatives = $@"\b(?<lead>(?:(?:{leadIns})\s*,?\s+)*)(?<verb>{verbs})(?!\w|-\w{{3}})(?!\s*[:”“»""'’])";

        var options = Options(compiled);
        return new ToneRules(
            language,
            Scalar(root, "request") ?? "could you {verb}",
            new Regex(phrases.Length == 0 ? "(?!)" : $@"\b(?:{phrases})", options),
            [.. phraseRules],
            [.. phraseRules.Select(rule => new Regex($@"\G(?:{PhrasePattern(rule.Phrase)})", RegexOptions.CultureInvariant))],
            new Regex(imperatives, options),
            requestForms,
            new Regex(Alternation(Words(root, "softeners")) is { Length: > 0 } softeners ? $"\\b(?:{softeners})(?!\\w)" : "(?!)", options),
            Alternation(Words(root, "fine")) is { Length: > 0 } fine ? new Regex($"\\b(?:{fine})(?!\\w)", options) : null,
            Words(root, "acronyms").ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// A phrase as written in a rule file → its pattern: whole words, any white space between them, <c>'</c> as either
    /// apostrophe, <c>*</c> as any word ending, and a closing <c>!</c> or <c>?</c> as a mark that must follow.
    /// </summary>
    private static string PhrasePattern(string phrase)
    {
        var text = phrase.Trim().ToLowerInvariant();
        var mark = text[^1] is '!' or '?' ? text[^1] : (char?)null;
        if (mark is not null)
            text = text[..^1].TrimEnd();
        var pattern = new StringBuilder();
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0)
                pattern.Append(@"\s+");
            var word = words[i];
            var wildcard = word.EndsWith('*');
            foreach (var c in wildcard ? word[..^1] : word)
                pattern.Append(c is '\'' or '’' ? "['’]" : Regex.Escape(c.ToString()));
            if (wildcard)
                pattern.Append(@"\w*");
        }
        if (char.IsLetterOrDigit(text[^1]) || text[^1] == '*')
            pattern.Append(@"(?!\w)");
        if (mark is not null)
            pattern.Append(@"(?=\s*\").Append(mark).Append(')');
        return pattern.ToString();
    }

    private static string Alternation(IEnumerable<string> phrases) =>
        string.Join('|', phrases.Select(phrase => phrase.ToLowerInvariant()).OrderByDescending(phrase => phrase.Length).Select(phrase =>
            string.Join(@"\s+", phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word =>
                Regex.Escape(word).Replace("'", "['’]", StringComparison.Ordinal)))));

    /// <summary>
    /// The text the rule expressions read: lower case, same length (<see cref="string.ToLowerInvariant()"/> maps
    /// character by character), so indexes match the original.
    /// </summary>
    public static string Lowered(string text) => text.ToLowerInvariant();

    /// <summary>Lower case, single spaces: how an imperative is looked up in <see cref="RequestForms"/>.</summary>
    public static string Normalise(ReadOnlySpan<char> phrase)
    {
        var text = new StringBuilder(phrase.Length);
        foreach (var c in phrase)
        {
            if (!char.IsWhiteSpace(c))
                text.Append(char.ToLowerInvariant(c == '’' ? '\'' : c));
            else if (text.Length > 0 && text[^1] != ' ')
                text.Append(' ');
        }
        return text.ToString();
    }

    private static string? Scalar(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    private static IEnumerable<string> Words(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode list
            ? list.Children.OfType<YamlScalarNode>().Select(item => item.Value ?? "").Where(item => item.Length > 0)
            : [];

    private static IEnumerable<KeyValuePair<string, string>> Pairs(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlMappingNode map
            ? map.Children.Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", (pair.Value as YamlScalarNode)?.Value ?? ""))
                .Where(pair => pair.Key.Trim().Length > 0)
            : [];
}

/// <summary>
/// A phrase of a rule file, the rule it belongs to and what to say instead (may be empty: leave it out), inside a
/// sentence and where the phrase opens a clause that becomes a question ("you must" → "could you").
/// </summary>
internal sealed record PhraseRule(string Phrase, string Rule, string Suggestion, string AtClauseStart);
