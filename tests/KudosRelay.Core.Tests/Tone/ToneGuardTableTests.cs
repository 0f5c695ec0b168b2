using KudosRelay.Core.Tone;
using Xunit;

namespace KudosRelay.Core.Tests.Tone;

/// <summary>
/// The phrase tables in <c>Tone/Phrases/{language}.txt</c>: each line is <c>fine | text</c> or <c>rule | text</c>,
/// commanding and blaming phrases beside acceptable ones with the same words.
/// </summary>
public sealed class ToneGuardTableTests
{
    private static readonly string[] Languages = ["en", "bg", "ru", "ro"];

    public static TheoryData<string, int, string, string> Phrases()
    {
        var data = new TheoryData<string, int, string, string>();
        foreach (var language in Languages)
            foreach (var (line, expected, text) in Table(language))
                data.Add(language, line, expected, text);
        return data;
    }

    [Theory]
    [MemberData(nameof(Phrases))]
    public void Each_phrase_is_flagged_with_its_rule_or_passes_as_the_table_says(string language, int line, string expected, string text)
    {
        var verdict = ToneGuard.Shipped.Check(text, language);

        var found = string.Join(", ", verdict.Flags.Select(flag => $"{flag.Rule} “{flag.Phrase}”"));
        if (expected == "fine")
            Assert.True(verdict.IsFine, $"{language}.txt line {line}: “{text}” should be fine, was flagged: {found}");
        else
            Assert.True(verdict.Flags.Any(flag => flag.Rule == expected), $"{language}.txt line {line}: “{text}” should be flagged {expected}; found: {(found.Length > 0 ? found : "nothing")}");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("bg")]
    [InlineData("ru")]
    [InlineData("ro")]
    public void Each_language_has_at_least_sixty_phrases_of_both_kinds_and_every_rule(string language)
    {
        var table = Table(language).ToList();

        Assert.True(table.Count >= 60, $"{language}.txt has {table.Count} phrases");
        Assert.True(table.Count(row => row.Expected == "fine") >= 20, $"{language}.txt has too few acceptable phrases");
        Assert.Equal(
            ["bare-imperative", "blame", "boss-threat", "fine", "obligation", "pressure", "repeated-punctuation", "shouting"],
            table.Select(row => row.Expected).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Phrases))]
    public void A_softer_rewrite_passes_the_guard_itself(string language, int line, string expected, string text)
    {
        var verdict = ToneGuard.Shipped.Check(text, language);

        var again = ToneGuard.Shipped.Check(verdict.SofterRewrite, language);
        Assert.True(again.IsFine, $"{language}.txt line {line} ({expected}): “{text}” → “{verdict.SofterRewrite}” is still flagged: {string.Join(", ", again.Flags.Select(flag => $"{flag.Rule} “{flag.Phrase}”"))}");
    }

    [Theory]
    [MemberData(nameof(Phrases))]
    public void The_interpreted_rules_give_the_compiled_rules_verdict(string language, int line, string expected, string text)
    {
        var compiled = ToneGuard.Shipped.Check(text, language);

        var interpreted = ToneGuard.Interpreted.Check(text, language);

        Assert.True(compiled.Flags.SequenceEqual(interpreted.Flags) && compiled.SofterRewrite == interpreted.SofterRewrite,
            $"{language}.txt line {line} ({expected}): “{text}” is judged differently by the interpreted rules");
    }

    private static IEnumerable<(int Line, string Expected, string Text)> Table(string language)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Tone", "Phrases", $"{language}.txt"));
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i].StartsWith('#'))
                continue;
            var bar = lines[i].IndexOf(" | ", StringComparison.Ordinal);
            yield return (i + 1, lines[i][..bar].Trim(), lines[i][(bar + 3)..]);
        }
    }
}
