using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace KudosRelay.Core.Tone;

/// <summary>
/// Flags commanding and blaming language in text meant for a colleague (see the README, "Tone guard"): orders that
/// stand alone, "must", pressure and threats, blame, bosses named as pressure, ALL CAPS and "!!"/"?!". Its words are
/// data, one file per language (<c>Tone/Rules/{language}.yaml</c>); an unknown language is checked with English rules.
/// Placeholders in <c>{braces}</c> are never flagged.
/// </summary>
internal sealed partial class ToneGuard
{
    public const string English = "en";

    private readonly FrozenDictionary<string, Lazy<ToneRules>> rules;

    private ToneGuard(FrozenDictionary<string, Lazy<ToneRules>> rules)
    {
        this.rules = rules;
    }

    /// <summary>The rules shipped with KudosRelay, each language compiled when first used: for checks that repeat (agents' notes).</summary>
    public static ToneGuard Shipped { get; } = FromAssembly(typeof(ToneGuard).Assembly, compiled: true);

    /// <summary>
    /// The same rules, interpreted: same verdicts, a little slower per text, but ready about half a second sooner for
    /// checks that run once (every template at start, a <c>tone check</c> command).
    /// </summary>
    public static ToneGuard Interpreted { get; } = FromAssembly(typeof(ToneGuard).Assembly, compiled: false);

    /// <summary>Languages with a rule file.</summary>
    public IEnumerable<string> Languages => rules.Keys;

    /// <summary>Checks <paramref name="text"/> with the rules of <paramref name="locale"/>'s language (<c>ru</c>, <c>ru-RU</c>); English when there are none.</summary>
    public ToneVerdict Check(string text, string? locale) => Check(text, RulesFor(locale));

    public string LanguageOf(string? locale) => RulesFor(locale).Language;

    private ToneRules RulesFor(string? locale)
    {
        var language = (locale ?? "").Split('-', '_')[0].ToLowerInvariant();
        return (rules.GetValueOrDefault(language) ?? rules[English]).Value;
    }

    private static ToneGuard FromAssembly(Assembly assembly, bool compiled)
    {
        var files = new Dictionary<string, Lazy<ToneRules>>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (ResourceName().Match(name) is not { Success: true } match)
                continue;
            var language = match.Groups["language"].Value;
            files[language] = new Lazy<ToneRules>(() =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                return ToneRules.Parse(language, reader, compiled);
            });
        }
        return new ToneGuard(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static ToneVerdict Check(string text, ToneRules rules)
    {
        var scan = MaskPlaceholders(text);
        var lowered = ToneRules.Lowered(scan);
        var flags = new List<ToneFlag>();
        var edits = new List<Edit>();
        var clauses = new List<(int Start, int End, string Rule)>();

        MatchCollection? fine = null;
        foreach (Match match in rules.Phrases.Matches(lowered))
        {
            fine ??= rules.Fine?.Matches(lowered);
            if (fine is { Count: > 0 } && fine.Any(phrase => phrase.Index <= match.Index && match.Index + match.Length <= phrase.Index + phrase.Length))
                continue;
            var rule = rules.PhraseAt(lowered, match.Index);
            var sentence = Sentence(scan, match.Index);
            var clauseStart = rule.Rule == ToneRules.Obligation && !sentence.IsQuestion && IsClauseStart(scan, match.Index, sentence.Start);
            var suggestion = MatchCase(clauseStart ? rule.AtClauseStart : rule.Suggestion, text, match.Index, sentence.Start);
            edits.Add(new Edit(match.Index, match.Length, suggestion, Priority: clauseStart ? 0 : 1));
            if (clauseStart)
            {
                edits.Add(QuestionMark(scan, sentence));
                clauses.Add((match.Index, sentence.End, rule.Rule));
            }
            else
            {
                flags.Add(new ToneFlag(text.Substring(match.Index, match.Length), rule.Rule, suggestion, match.Index, match.Length));
            }
        }

        foreach (Match match in rules.Imperatives.Matches(lowered))
        {
            var sentence = Sentence(scan, match.Index);
            if (!IsClauseStart(scan, match.Index, sentence.Start) || sentence.IsQuestion || rules.Softeners.IsMatch(lowered.AsSpan(sentence.Start, match.Index - sentence.Start)))
                continue;
            var verb = match.Groups["verb"];
            var request = rules.Request.Replace("{verb}", rules.RequestForms.GetValueOrDefault(ToneRules.Normalise(verb.ValueSpan), verb.Value.ToLowerInvariant()), StringComparison.Ordinal);
            edits.Add(new Edit(match.Index, match.Length, char.IsUpper(text[match.Index]) ? Capitalise(request) : request, Priority: 0));
            edits.Add(QuestionMark(scan, sentence));
            clauses.Add((match.Index, sentence.End, ToneRules.BareImperative));
        }

        foreach (Match match in RepeatedMarks().Matches(scan))
        {
            var suggestion = match.ValueSpan.Contains('?') ? "?" : "!";
            edits.Add(new Edit(match.Index, match.Length, suggestion, Priority: 2));
            flags.Add(new ToneFlag(match.Value, ToneRules.RepeatedPunctuation, suggestion, match.Index, match.Length));
        }

        foreach (Match match in CapitalWords().Matches(scan))
        {
            if (IsNameLike(match.ValueSpan, rules))
                continue;
            var lower = match.Value.ToLowerInvariant();
            var suggestion = AtSentenceStart(scan, match.Index, Sentence(scan, match.Index).Start) ? Capitalise(lower) : lower;
            edits.Add(new Edit(match.Index, match.Length, suggestion, Priority: 3));
            flags.Add(new ToneFlag(match.Value, ToneRules.Shouting, suggestion, match.Index, match.Length));
        }

        if (edits.Count == 0)
            return new ToneVerdict([], text);

        var accepted = Accept(edits);
        foreach (var (start, end, rule) in clauses)
        {
            var phrase = text[start..end].TrimEnd();
            flags.Add(new ToneFlag(phrase, rule, Apply(text, accepted, start, start + phrase.Length), start, phrase.Length));
        }
        flags.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.Length != b.Length ? b.Length.CompareTo(a.Length)
            : string.CompareOrdinal(a.Rule, b.Rule));
        return new ToneVerdict(flags, Apply(text, accepted, 0, text.Length));
    }

    /// <summary>One replacement in the text; where two overlap, the lower priority number wins (orders, then phrases, then marks, then capitals).</summary>
    private sealed record Edit(int Start, int Length, string Replacement, int Priority)
    {
        public int End => Start + Length;

        /// <summary>Two replacements overlap; an insertion (no length) only clashes inside another edit or with one at its place.</summary>
        public bool Overlaps(Edit other) => (Length, other.Length) switch
        {
            (0, 0) => Start == other.Start,
            (0, _) => other.Start < Start && Start < other.End,
            (_, 0) => Start < other.Start && other.Start < End,
            _ => Start < other.End && other.Start < End,
        };
    }

    private static List<Edit> Accept(List<Edit> edits)
    {
        var accepted = new List<Edit>(edits.Count);
        foreach (var edit in edits.OrderBy(edit => edit.Priority).ThenBy(edit => edit.Start))
        {
            if (!accepted.Exists(other => other.Overlaps(edit)))
                accepted.Add(edit);
        }
        accepted.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Length.CompareTo(b.Length));
        return accepted;
    }

    /// <summary><paramref name="text"/>[<paramref name="from"/>..<paramref name="to"/>] with the edits inside it applied.</summary>
    private static string Apply(string text, List<Edit> edits, int from, int to)
    {
        var result = new StringBuilder(to - from + 32);
        var position = from;
        var removed = false;
        foreach (var edit in edits)
        {
            if (edit.Start < from || edit.End > to)
                continue;
            result.Append(text, position, edit.Start - position).Append(edit.Replacement);
            removed |= edit.Replacement.Length == 0;
            position = edit.End;
        }
        result.Append(text, position, to - position);
        var rewritten = result.ToString();
        return removed ? TidyRemovals().Replace(SpaceBeforeMark().Replace(rewritten, "$1"), " ").Trim() : rewritten;
    }

    private readonly record struct SentenceSpan(int Start, int End, int MarksStart, int MarksEnd, bool IsQuestion);

    /// <summary>
    /// The sentence around <paramref name="index"/>: from after the previous end mark to after its own end marks
    /// (<c>.</c> before a space or the end, <c>!</c>, <c>?</c>, <c>…</c>, a line break).
    /// </summary>
    private static SentenceSpan Sentence(string text, int index)
    {
        var start = index;
        while (start > 0 && !IsEndMark(text, start - 1))
            start--;
        var marks = index;
        while (marks < text.Length && !IsEndMark(text, marks))
            marks++;
        var end = marks;
        var question = false;
        while (end < text.Length && IsEndMark(text, end) && text[end] is not ('\n' or '\r'))
            question |= text[end++] == '?';
        return new SentenceSpan(start, end, marks, end, question);
    }

    private static bool IsEndMark(string text, int i) => text[i] switch
    {
        '!' or '?' or '…' or '\n' or '\r' => true,
        '.' => i + 1 == text.Length || !char.IsLetterOrDigit(text[i + 1]),
        _ => false,
    };

    /// <summary>The sentence's end marks become one question mark; a sentence without one gets it after its last word.</summary>
    private static Edit QuestionMark(string text, SentenceSpan sentence)
    {
        if (sentence.MarksEnd > sentence.MarksStart)
            return new Edit(sentence.MarksStart, sentence.MarksEnd - sentence.MarksStart, "?", Priority: 0);
        var end = sentence.MarksStart;
        while (end > sentence.Start && char.IsWhiteSpace(text[end - 1]))
            end--;
        return new Edit(end, 0, "?", Priority: 0);
    }

    private static bool IsClauseStart(string text, int index, int sentenceStart)
    {
        var i = index;
        while (i > sentenceStart && char.IsWhiteSpace(text[i - 1]))
            i--;
        return i == sentenceStart || text[i - 1] is ',' or ';' or ':' or '(' or '—' or '–' or '"' or '“' or '«' or '„';
    }

    private static bool AtSentenceStart(string text, int index, int sentenceStart)
    {
        for (var i = sentenceStart; i < index; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && text[i] is not ('"' or '“' or '«' or '„' or '(' or '—' or '–'))
                return false;
        }
        return true;
    }

    /// <summary>A suggestion from a rule file starts with a capital where the phrase opened a sentence.</summary>
    private static string MatchCase(string suggestion, string text, int index, int sentenceStart) =>
        suggestion.Length > 0 && char.IsUpper(text[index]) && AtSentenceStart(text, index, sentenceStart) ? Capitalise(suggestion) : suggestion;

    private static string Capitalise(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));

    /// <summary>Acronyms from the rule file, and words with digits (case references such as CASE-42), are names, not shouting.</summary>
    private static bool IsNameLike(ReadOnlySpan<char> word, ToneRules rules)
    {
        foreach (var c in word)
        {
            if (char.IsDigit(c))
                return true;
        }
        foreach (var range in word.Split('-'))
        {
            var part = word[range];
            if (part.Length > 1 && !rules.Acronyms.GetAlternateLookup<ReadOnlySpan<char>>().Contains(part))
                return false;
        }
        return true;
    }

    /// <summary>Placeholders (<c>{agent}</c>) become private-use characters of the same length: nothing in them can match.</summary>
    private static string MaskPlaceholders(string text)
    {
        if (!text.Contains('{', StringComparison.Ordinal))
            return text;
        return Placeholder().Replace(text, match => new string('\uE000', match.Length));
    }

    [GeneratedRegex(@"\{[^{}\r\n]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[!?]{2,}")]
    private static partial Regex RepeatedMarks();

    // Two or more capitals, as a whole word (hyphenated parts included): "NOW", "THANK", "СРОЧНО"; not "I" or "KudosRelay".
    [GeneratedRegex(@"(?<![\p{L}\p{N}_\-])(?=[\p{Lu}\p{N}_\-]*\p{Lu}[\p{Lu}\p{N}_\-]*\p{Lu})[\p{Lu}\p{N}_\-]+(?![\p{L}\p{N}_])", RegexOptions.CultureInvariant)]
    private static partial Regex CapitalWords();

    [GeneratedRegex(@"[ \t]+([,.;:!?…])")]
    private static partial Regex SpaceBeforeMark();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex TidyRemovals();

    [GeneratedRegex(@"(?:^|\.)Tone\.Rules\.(?<language>[a-z]{2,3})\.yaml$")]
    private static partial Regex ResourceName();
}
