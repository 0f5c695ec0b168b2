using KudosRelay.Core.Language;
using Xunit;

namespace KudosRelay.Core.Tests.Language;

/// <summary>The integer samples CLDR's plurals.xml gives for each category ("@integer …"), expanded, through each language's rule.</summary>
public sealed class PluralRulesTests
{
    public static TheoryData<string, long, string> CldrSamples()
    {
        var data = new TheoryData<string, long, string>();
        void Add(string language, string category, string samples)
        {
            foreach (var n in Expand(samples))
                data.Add(language, n, category);
        }

        Add("en", "one", "1");
        Add("en", "other", "0, 2~16, 100, 1000, 10000, 100000, 1000000");
        Add("bg", "one", "1");
        Add("bg", "other", "0, 2~16, 100, 1000, 10000, 100000, 1000000");
        Add("ru", "one", "1, 21, 31, 41, 51, 61, 71, 81, 101, 1001");
        Add("ru", "few", "2~4, 22~24, 32~34, 42~44, 52~54, 62, 102, 1002");
        Add("ru", "many", "0, 5~19, 100, 1000, 10000, 100000, 1000000");
        Add("ro", "one", "1");
        Add("ro", "few", "0, 2~16, 102, 1002");
        Add("ro", "other", "20~35, 100, 1000, 10000, 100000, 1000000");
        return data;
    }

    [Theory]
    [MemberData(nameof(CldrSamples))]
    public void Each_cldr_sample_falls_in_its_category(string language, long number, string expected) =>
        Assert.Equal(expected, Category(language, number));

    [Theory]
    [InlineData(3, "few")]      // 3 клиента
    [InlineData(5, "many")]     // 5 клиентов
    [InlineData(21, "one")]     // 21 клиент
    [InlineData(11, "many")]    // 11 клиентов
    [InlineData(112, "many")]   // 112 клиентов
    [InlineData(122, "few")]    // 122 клиента
    public void Russian_counts_of_customers_take_the_right_form(long count, string expected) =>
        Assert.Equal(expected, Category("ru", count));

    [Theory]
    [InlineData(19, "few")]     // 19 clienți
    [InlineData(20, "other")]   // 20 de clienți
    [InlineData(101, "other")]  // 101 de clienți
    [InlineData(119, "few")]    // 119 clienți
    public void Romanian_says_de_from_twenty(long count, string expected) =>
        Assert.Equal(expected, Category("ro", count));

    [Fact]
    public void Every_category_a_language_uses_is_reachable()
    {
        foreach (var language in new[] { "en", "bg", "ru", "ro" })
        {
            var rule = MessageCatalogue.Shipped.PluralRuleOf(language);
            var reached = Enumerable.Range(0, 200).Select(n => PluralRules.For(rule, n)).ToHashSet();
            Assert.Equal(PluralRules.CategoriesOf(rule).ToHashSet(), reached);
        }
    }

    private static string Category(string language, long count) =>
        PluralRules.For(MessageCatalogue.Shipped.PluralRuleOf(language), count).ToString().ToLowerInvariant();

    private static IEnumerable<long> Expand(string samples) =>
        samples.Split(", ").SelectMany(sample => sample.Split('~') switch
        {
            [var single] => [long.Parse(single, System.Globalization.CultureInfo.InvariantCulture)],
            [var from, var to] => Range(long.Parse(from, System.Globalization.CultureInfo.InvariantCulture), long.Parse(to, System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new FormatException(sample),
        });

    private static IEnumerable<long> Range(long from, long to)
    {
        for (var n = from; n <= to; n++)
            yield return n;
    }
}
