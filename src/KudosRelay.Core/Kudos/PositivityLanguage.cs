using System.Buffers;
using System.Collections.Frozen;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// Which lexicon to use: the item's own language when we have one for it, otherwise a cheap guess by script and a
/// few words that only one of the candidate languages uses. Good enough for four languages; not a detector.
/// </summary>
internal static class PositivityLanguage
{
    [Flags]
    private enum Votes { None = 0, Russian = 1, Bulgarian = 2, Romanian = 4, English = 8 }

    private static readonly string[] RussianWords =
    [
        "что", "это", "очень", "спасибо", "было", "был", "была", "были", "вы", "мне", "только", "нет", "всё", "все", "вам", "ваш",
        "вас", "меня", "если", "уже", "когда", "хорошо", "большое", "благодарю", "мы", "они", "же", "ещё", "еще", "помогли", "есть",
    ];

    private static readonly string[] BulgarianWords =
    [
        "е", "са", "ще", "това", "беше", "бяхте", "сте", "съм", "благодаря", "добре", "няма", "със", "във", "вие", "тя", "той",
        "ми", "ме", "ви", "си", "че", "бе", "когато", "защото", "какво", "нещо", "наистина", "бяха", "много",
    ];

    private static readonly string[] RomanianWords =
    [
        "si", "este", "foarte", "pentru", "fost", "multumesc", "sunt", "cu", "ati", "deloc", "bine", "mai", "la", "nu", "un",
        "sa", "ne", "va", "mi", "ai", "e", "de", "din", "care", "dar", "cel", "cea", "frumos", "o", "ca", "lui", "mult",
    ];

    private static readonly string[] EnglishWords =
    [
        "the", "and", "is", "was", "you", "very", "thank", "thanks", "not", "to", "it", "for", "with", "i", "my", "me", "we", "so",
        "of", "great", "but", "are", "were", "this", "that", "be", "all", "your", "in", "on", "at", "have", "had", "am", "no",
    ];

    // Which candidates use each telling word ("mi" is Bulgarian and Romanian): one lookup per word of the text.
    private static readonly FrozenDictionary<string, Votes>.AlternateLookup<ReadOnlySpan<char>> TellingWords =
        new[] { (RussianWords, Votes.Russian), (BulgarianWords, Votes.Bulgarian), (RomanianWords, Votes.Romanian), (EnglishWords, Votes.English) }
            .SelectMany(list => list.Item1.Select(word => (Word: word, Vote: list.Item2)))
            .GroupBy(pair => pair.Word, StringComparer.Ordinal)
            .ToFrozenDictionary(group => group.Key, group => group.Aggregate(Votes.None, (votes, pair) => votes | pair.Vote), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    private const int DetectionWindow = 300;

    private static readonly SearchValues<char> RomanianLetters = SearchValues.Create("ăâîșşțţĂÂÎȘŞȚŢ");

    // Letters Russian has and Bulgarian does not.
    private static readonly SearchValues<char> RussianLetters = SearchValues.Create("ыэёЫЭЁ");

    public static string Resolve(string text, string? language)
    {
        if (language is { Length: >= 2 })
        {
            // "ro-RO", "bg_BG", "RU": the first two letters name the language.
            Span<char> code = stackalloc char[2];
            language.AsSpan(0, 2).ToLowerInvariant(code);
            if (language.Length == 2 || language[2] is '-' or '_')
            {
                foreach (var supported in PositivityLexicon.Languages)
                    if (code.SequenceEqual(supported))
                        return supported;
            }
        }
        return Detect(text);
    }

    public static string Detect(ReadOnlySpan<char> text)
    {
        // Letters no other candidate uses settle it at once (vectorised searches, no word lookups).
        if (text.ContainsAny(RomanianLetters))
            return "ro";
        var cyrillicText = text.ContainsAnyInRange('\u0400', '\u04FF');
        if (cyrillicText && text.ContainsAny(RussianLetters))
            return "ru";

        // The opening words are enough to tell; reading further only costs time.
        text = text[..Math.Min(text.Length, DetectionWindow)];
        int cyrillic = 0, latin = 0, russian = 0, bulgarian = 0, romanian = 0, english = 0;
        Span<char> word = stackalloc char[24];
        var length = 0;
        var wordIsCyrillic = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? char.ToLowerInvariant(text[i]) : ' ';
            if (char.IsLetter(c))
            {
                if (length == 0)
                    wordIsCyrillic = c is >= '\u0400' and <= '\u04FF';
                // ъ inside a word is Bulgarian (Russian uses it rarely, after a prefix).
                if (c == 'ъ' && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                    bulgarian++;
                if (length < word.Length)
                    word[length] = c;
                length++;
                continue;
            }
            if (length is > 0 and <= 24)
            {
                var votes = TellingWords.TryGetValue(word[..length], out var found) ? found : Votes.None;
                if (wordIsCyrillic)
                {
                    cyrillic++;
                    if (votes.HasFlag(Votes.Russian)) russian++;
                    if (votes.HasFlag(Votes.Bulgarian)) bulgarian++;
                }
                else
                {
                    latin++;
                    if (votes.HasFlag(Votes.Romanian)) romanian++;
                    if (votes.HasFlag(Votes.English)) english++;
                }
            }
            length = 0;
        }
        if (cyrillicText && cyrillic >= latin)
            return bulgarian > russian ? "bg" : "ru";
        return romanian > english ? "ro" : "en";
    }

    /// <summary>
    /// Lowercases <paramref name="text"/> into <paramref name="into"/> char for char, with the folds each lexicon is
    /// written in: Romanian without diacritics (customers often type "multumesc"), Russian ё as е, one apostrophe.
    /// </summary>
    public static void Fold(ReadOnlySpan<char> text, Span<char> into, string language)
    {
        text.ToLowerInvariant(into);
        var romanian = language == "ro";
        var russian = language == "ru";
        for (var i = 0; i < into.Length; i++)
        {
            var c = into[i];
            if (c < '\u00E0')
                continue;
            if (c is '\u2019' or '\u02BC')
                into[i] = '\'';
            else if (romanian)
                into[i] = FoldRomanian(c);
            else if (russian && c == 'ё')
                into[i] = 'е';
        }
    }

    private static char FoldRomanian(char c) => c switch
    {
        'ă' or 'â' => 'a',
        'î' => 'i',
        'ș' or 'ş' => 's',
        'ț' or 'ţ' => 't',
        _ => c,
    };
}
