namespace KudosRelay.Core.Language;

/// <summary>The CLDR plural categories a message can have a form for.</summary>
internal enum PluralCategory
{
    One,
    Few,
    Many,
    Other,
}

/// <summary>
/// CLDR cardinal plural rules for whole numbers (the bot counts customers, cases and days, never fractions),
/// one small function per family of languages, written from CLDR's <c>plurals.xml</c>. A language names its
/// family in its <c>Language/Messages/{language}.yaml</c> (<c>plural-rule</c>), so a new language whose rule is
/// here needs files only.
/// </summary>
internal static class PluralRules
{
    /// <summary>English, Bulgarian and most of Western Europe: one for 1, other for the rest.</summary>
    public const string OneOther = "one-other";

    /// <summary>Russian, Ukrainian, Belarusian: one (1, 21, 31…), few (2–4, 22–24…), many (0, 5–20, 25–30…).</summary>
    public const string EastSlavic = "east-slavic";

    /// <summary>Romanian and Moldavian: one (1), few (0, 2–19, 102–119…), other (20–101…: "20 de clienți").</summary>
    public const string Romanian = "romanian";

    public static IReadOnlyList<string> Families { get; } = [OneOther, EastSlavic, Romanian];

    /// <summary>The categories a family distinguishes for whole numbers; a counting message has exactly these forms.</summary>
    public static IReadOnlyList<PluralCategory> CategoriesOf(string family) => family switch
    {
        EastSlavic => [PluralCategory.One, PluralCategory.Few, PluralCategory.Many],
        Romanian => [PluralCategory.One, PluralCategory.Few, PluralCategory.Other],
        _ => [PluralCategory.One, PluralCategory.Other],
    };

    public static PluralCategory For(string family, long count) => family switch
    {
        EastSlavic => EastSlavicRule(Math.Abs(count)),
        Romanian => RomanianRule(Math.Abs(count)),
        _ => OneOtherRule(count),
    };

    /// <summary>one: i = 1 and v = 0 (English); n = 1 (Bulgarian): the same for whole numbers.</summary>
    private static PluralCategory OneOtherRule(long n) => n == 1 ? PluralCategory.One : PluralCategory.Other;

    /// <summary>one: i % 10 = 1 and i % 100 != 11; few: i % 10 = 2..4 and i % 100 != 12..14; many: the rest of the whole numbers.</summary>
    private static PluralCategory EastSlavicRule(long n)
    {
        var (lastDigit, lastTwo) = (n % 10, n % 100);
        if (lastDigit == 1 && lastTwo != 11)
            return PluralCategory.One;
        if (lastDigit is >= 2 and <= 4 && lastTwo is < 12 or > 14)
            return PluralCategory.Few;
        return PluralCategory.Many;
    }

    /// <summary>one: i = 1 and v = 0; few: v != 0 or n = 0 or n % 100 = 2..19; other: the rest.</summary>
    private static PluralCategory RomanianRule(long n) => n switch
    {
        1 => PluralCategory.One,
        0 => PluralCategory.Few,
        _ when n % 100 is >= 2 and <= 19 => PluralCategory.Few,
        _ => PluralCategory.Other,
    };
}
