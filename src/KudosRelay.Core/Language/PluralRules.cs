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
/// one small function per language. Written from the rules in CLDR's <c>plurals.xml</c>; a language without a
/// rule here uses English's, which a catalogue test prevents from happening silently.
/// </summary>
internal static class PluralRules
{
    /// <summary>The categories each language distinguishes for whole numbers; a catalogue entry has exactly these forms.</summary>
    public static IReadOnlyList<PluralCategory> CategoriesOf(string language) => language switch
    {
        "ru" => [PluralCategory.One, PluralCategory.Few, PluralCategory.Many],
        "ro" => [PluralCategory.One, PluralCategory.Few, PluralCategory.Other],
        _ => [PluralCategory.One, PluralCategory.Other],
    };

    public static bool Knows(string language) => language is "en" or "bg" or "ru" or "ro";

    public static PluralCategory For(string language, long count) => language switch
    {
        "ru" => Russian(count),
        "ro" => Romanian(count),
        "bg" => Bulgarian(count),
        _ => English(count),
    };

    /// <summary>one: i = 1 and v = 0.</summary>
    private static PluralCategory English(long n) => n == 1 ? PluralCategory.One : PluralCategory.Other;

    /// <summary>one: n = 1.</summary>
    private static PluralCategory Bulgarian(long n) => n == 1 ? PluralCategory.One : PluralCategory.Other;

    /// <summary>
    /// one: i % 10 = 1 and i % 100 != 11; few: i % 10 = 2..4 and i % 100 != 12..14;
    /// many: everything else a whole number can be (0, 5..9 at the end, 11..14 at the end).
    /// </summary>
    private static PluralCategory Russian(long n)
    {
        var (lastDigit, lastTwo) = (Math.Abs(n) % 10, Math.Abs(n) % 100);
        if (lastDigit == 1 && lastTwo != 11)
            return PluralCategory.One;
        if (lastDigit is >= 2 and <= 4 && lastTwo is < 12 or > 14)
            return PluralCategory.Few;
        return PluralCategory.Many;
    }

    /// <summary>one: i = 1 and v = 0; few: n = 0 or n % 100 = 2..19; other: the rest ("20 de clienți").</summary>
    private static PluralCategory Romanian(long n)
    {
        if (n == 1)
            return PluralCategory.One;
        return n == 0 || Math.Abs(n) % 100 is >= 2 and <= 19 ? PluralCategory.Few : PluralCategory.Other;
    }
}
