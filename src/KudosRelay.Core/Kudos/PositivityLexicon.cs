using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace KudosRelay.Core.Kudos;

internal enum TermKind { Sentiment, Negator, Intensifier, Neutral }

internal readonly record struct LexiconTerm(TermKind Kind, double Value);

/// <summary>
/// Scores text by the word lists in <c>Kudos/Lexicons/{lang}.txt</c>, written for KudosRelay (see the header of each
/// file for the format). Deliberately simple so a team lead can see why: every matched term is listed in the reason.
/// </summary>
internal sealed class PositivityLexicon
{
    // Stems are bucketed by their first three letters, so a token costs one exact lookup and at most one bucket scan.
    private const int StemKeyLength = 3;

    // A negated word counts half, flipped: "not bad" is faint praise (+1), "not great" a mild complaint (−1).
    private const double NegationFactor = -0.5;

    // Long reasons are noise in a review card; the score still counts every term.
    private const int MaxListedTerms = 8;

    private static readonly string[] Supported = ["en", "ru", "bg", "ro"];
    private static readonly Lazy<PositivityLexicon>[] Loaded = [.. Supported.Select(l => new Lazy<PositivityLexicon>(() => Load(l)))];

    /// <summary>What a whole word can start: a term of its own, phrases it opens, or both.</summary>
    private sealed record WordEntry(LexiconTerm? Term, (string Second, LexiconTerm Term)[] Phrases);

    // Words and the first words of phrases share one table, so a word costs one lookup before the stems.
    private readonly FrozenDictionary<string, WordEntry>.AlternateLookup<ReadOnlySpan<char>> words;
    private readonly FrozenDictionary<string, (string Stem, LexiconTerm Term)[]>.AlternateLookup<ReadOnlySpan<char>> stems;

    private PositivityLexicon(string language, Dictionary<string, LexiconTerm> words, Dictionary<string, List<(string, LexiconTerm)>> stems, Dictionary<string, List<(string, LexiconTerm)>> phrases)
    {
        Language = language;
        this.words = words.Keys.Union(phrases.Keys)
            .ToFrozenDictionary(
                word => word,
                word => new WordEntry(words.TryGetValue(word, out var term) ? term : null, phrases.TryGetValue(word, out var seconds) ? [.. seconds] : []),
                StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        this.stems = stems.ToFrozenDictionary(p => p.Key, p => p.Value.OrderByDescending(s => s.Item1.Length).ToArray(), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        WordCount = words.Count + stems.Sum(s => s.Value.Count) + phrases.Sum(p => p.Value.Count);
    }

    public string Language { get; }

    public int WordCount { get; }

    public static IReadOnlyList<string> Languages => Supported;

    public static PositivityLexicon For(string language) => Loaded[Array.IndexOf(Supported, language)].Value;

    public static PositivityVerdict ScoreText(string text, string? language, PositivityOptions options) =>
        Read(text, language, options, explain: true).Verdict!;

    /// <summary>
    /// Only which way <paramref name="text"/> reads, without the reason <see cref="ScoreText"/> words: enough to tell
    /// whether a rated item's words contradict its rating, which is all a rated item needs unless they do.
    /// </summary>
    public static Polarity TextPolarity(string text, string? language, PositivityOptions options) =>
        Read(text, language, options, explain: false).Polarity;

    private static (Polarity Polarity, PositivityVerdict? Verdict) Read(string text, string? language, PositivityOptions options, bool explain)
    {
        var lang = PositivityLanguage.Resolve(text, language);
        var lexicon = For(lang);
        char[]? rented = null;
        var buffer = text.Length <= 1024 ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        try
        {
            PositivityLanguage.Fold(text, buffer, lang);
            return lexicon.Score(text, buffer, options, explain);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// <paramref name="folded"/> is <paramref name="text"/> lowercased and folded, index for index. The verdict, with its
    /// reason listing the matched terms, only when <paramref name="explain"/>.
    /// </summary>
    private (Polarity Polarity, PositivityVerdict? Verdict) Score(string text, ReadOnlySpan<char> folded, PositivityOptions options, bool explain)
    {
        var reader = new WordReader(folded);
        double sum = 0;
        var matched = 0;
        StringBuilder? reason = null;
        int negatorStart = -1, negatorLeft = 0, intensifierStart = -1, intensifierLeft = 0;
        var intensity = 1.0;

        while (reader.Next(out var start, out var length, out var clauseBreak))
        {
            if (clauseBreak)
            {
                negatorLeft = intensifierLeft = 0;
                intensity = 1;
            }
            var end = start + length;
            if (!TryMatch(folded, ref reader, start, ref end, out var term) || term.Kind == TermKind.Neutral)
            {
                if (--negatorLeft < 0) negatorLeft = 0;
                if (--intensifierLeft <= 0) { intensifierLeft = 0; intensity = 1; }
                continue;
            }
            switch (term.Kind)
            {
                case TermKind.Negator:
                    negatorStart = start;
                    negatorLeft = options.NegationWindow;
                    continue;
                case TermKind.Intensifier:
                    if (intensifierLeft == 0)
                        intensifierStart = start;
                    intensity *= term.Value;
                    intensifierLeft = 2;
                    continue;
            }

            var weight = term.Value * intensity;
            var labelStart = start;
            if (intensifierLeft > 0)
                labelStart = intensifierStart;
            if (negatorLeft > 0)
            {
                weight *= NegationFactor;
                labelStart = Math.Min(labelStart, negatorStart);
            }
            negatorLeft = intensifierLeft = 0;
            intensity = 1;
            sum += weight;
            if (!explain)
                matched++;
            else if (matched++ < MaxListedTerms)
            {
                reason ??= new StringBuilder("matched: ", 96);
                if (matched > 1) reason.Append(", ");
                reason.Append(text.AsSpan(labelStart, end - labelStart)).Append('(').Append(weight > 0 ? "+" : "").Append(Positivity.Format(weight)).Append(')');
            }
            else if (matched == MaxListedTerms + 1)
            {
                reason!.Append(", …");
            }
        }

        if (matched == 0)
            return (Polarity.Borderline, explain ? new PositivityVerdict(Polarity.Borderline, null, $"no sentiment words matched ({Language})") : null);
        var polarity = sum >= options.TextPositiveAtLeast ? Polarity.Positive
            : sum <= options.TextNegativeAtMost ? Polarity.Negative
            : Polarity.Borderline;
        if (!explain)
            return (polarity, null);
        reason!.Append(" (").Append(Language).Append(')');
        // Maps any sum onto 0–1 with 0 at 0.5: +2 ("thanks") is 0.75, −3 ("terrible") 0.2.
        var score = 0.5 + 0.5 * sum / (Math.Abs(sum) + 2);
        return (polarity, new PositivityVerdict(polarity, Math.Round(score, 3), reason.ToString()));
    }

    private bool TryMatch(ReadOnlySpan<char> folded, ref WordReader reader, int start, ref int end, out LexiconTerm term)
    {
        var word = folded[start..end];
        if (words.TryGetValue(word, out var entry))
        {
            if (entry.Phrases.Length > 0)
            {
                var peek = reader;
                if (peek.Next(out var nextStart, out var nextLength, out var clauseBreak) && !clauseBreak)
                {
                    var next = folded.Slice(nextStart, nextLength);
                    foreach (var (second, phraseTerm) in entry.Phrases)
                    {
                        if (next.SequenceEqual(second))
                        {
                            reader = peek;
                            end = nextStart + nextLength;
                            term = phraseTerm;
                            return true;
                        }
                    }
                }
            }
            if (entry.Term is { } wordTerm)
            {
                term = wordTerm;
                return true;
            }
        }
        if (word.Length >= StemKeyLength && stems.TryGetValue(word[..StemKeyLength], out var bucket))
        {
            foreach (var (stem, stemTerm) in bucket)
            {
                if (word.StartsWith(stem))
                {
                    term = stemTerm;
                    return true;
                }
            }
        }
        term = default;
        return false;
    }

    internal static PositivityLexicon Load(string language)
    {
        var name = $"KudosRelay.Core.Kudos.Lexicons.{language}.txt";
        using var stream = typeof(PositivityLexicon).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded lexicon {name} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(language, reader.ReadToEnd());
    }

    /// <summary>Parses one lexicon file; a bad line is our bug, so it throws naming the file and line.</summary>
    internal static PositivityLexicon Parse(string language, string content)
    {
        var words = new Dictionary<string, LexiconTerm>(StringComparer.Ordinal);
        var stems = new Dictionary<string, List<(string, LexiconTerm)>>(StringComparer.Ordinal);
        var phrases = new Dictionary<string, List<(string, LexiconTerm)>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in content.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var split = line.LastIndexOf(' ');
            if (split <= 0)
                throw Bad("expected a term and a value");
            var value = line[(split + 1)..];
            var termText = line[..split].Trim();
            var folded = new char[termText.Length];
            PositivityLanguage.Fold(termText, folded, language);
            termText = new string(folded);
            var term = value switch
            {
                "neg" => new LexiconTerm(TermKind.Negator, 0),
                _ when value[0] is '×' or 'x' => new LexiconTerm(TermKind.Intensifier, Number(value[1..])),
                _ => new LexiconTerm(Number(value) == 0 ? TermKind.Neutral : TermKind.Sentiment, Number(value)),
            };

            var parts = termText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2)
            {
                Add(phrases, parts[0], (parts[1], term));
            }
            else if (parts.Length != 1)
            {
                throw Bad("a phrase has at most two words");
            }
            else if (termText.EndsWith('*'))
            {
                var stem = termText[..^1];
                if (stem.Length < StemKeyLength)
                    throw Bad($"a stem needs at least {StemKeyLength} letters");
                Add(stems, stem[..StemKeyLength], (stem, term));
            }
            else if (!words.TryAdd(termText, term))
            {
                throw Bad($"'{termText}' is listed twice");
            }
        }
        return new PositivityLexicon(language, words, stems, phrases);

        double Number(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Bad($"'{text}' is not a number");

        InvalidDataException Bad(string problem) => new($"Lexicons/{language}.txt line {lineNumber}: {problem}");

        static void Add(Dictionary<string, List<(string, LexiconTerm)>> map, string key, (string, LexiconTerm) entry)
        {
            if (!map.TryGetValue(key, out var list))
                map[key] = list = [];
            list.Add(entry);
        }
    }

    /// <summary>Words are runs of letters (an apostrophe inside a word belongs to it: "didn't"); punctuation that ends a clause stops negation.</summary>
    private ref struct WordReader(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> text = text;
        private int position;

        public bool Next(out int start, out int length, out bool clauseBreak)
        {
            clauseBreak = false;
            var i = position;
            while (i < text.Length && !char.IsLetter(text[i]))
            {
                if (IsPictograph(text, i, out var width))
                {
                    // An emoji is a word of its own: "thanks 👍" scores the thumb too.
                    start = i;
                    length = width;
                    position = i + width;
                    return true;
                }
                if (text[i] is '.' or ',' or ';' or ':' or '!' or '?' or '…' or '(' or ')')
                    clauseBreak = true;
                i++;
            }
            start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || IsMark(text[i]) || (text[i] == '\'' && i + 1 < text.Length && char.IsLetter(text[i + 1]) && i > start)))
                i++;
            position = i;
            length = i - start;
            return length > 0;
        }

        // Emoji live in the astral planes (a surrogate pair); ☺ ☹ ❤ ⭐ in the BMP symbol blocks.
        private static bool IsPictograph(ReadOnlySpan<char> text, int i, out int width)
        {
            var c = text[i];
            width = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2
                : c is >= '\u2600' and <= '\u27BF' or >= '\u2B00' and <= '\u2BFF' ? 1
                : 0;
            return width > 0;
        }

        private static bool IsMark(char c) => c >= '\u0300' && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }
}
