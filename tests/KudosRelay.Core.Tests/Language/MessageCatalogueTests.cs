using System.Text.RegularExpressions;
using KudosRelay.Core.Language;
using Xunit;

namespace KudosRelay.Core.Tests.Language;

/// <summary>Every language the bot ships says everything English says, with the same placeholders.</summary>
public sealed partial class MessageCatalogueTests
{
    private static readonly MessageCatalogue Catalogue = MessageCatalogue.Shipped;

    public static TheoryData<string, string> FilesOtherThanEnglish()
    {
        var data = new TheoryData<string, string>();
        foreach (var feature in Catalogue.Features)
            foreach (var language in Catalogue.Languages.Where(language => language != MessageCatalogue.English))
                data.Add(feature, language);
        return data;
    }

    [Fact]
    public void The_bot_ships_english_bulgarian_russian_and_romanian()
    {
        Assert.Equal(["en", "bg", "ro", "ru"], Catalogue.Languages);
        Assert.Contains("Kudos", Catalogue.Features);
        Assert.Contains("Conversations", Catalogue.Features);
    }

    [Theory]
    [MemberData(nameof(FilesOtherThanEnglish))]
    public void Every_language_has_every_key_and_no_other(string feature, string language)
    {
        var english = Catalogue.Entries(feature, MessageCatalogue.English)!;
        var translated = Catalogue.Entries(feature, language);

        Assert.True(translated is not null, $"{feature}/Messages/{language}.yaml is missing");
        Assert.Empty(english.Keys.Except(translated!.Keys).Select(key => $"{feature}/{language}: missing {key}"));
        Assert.Empty(translated.Keys.Except(english.Keys).Select(key => $"{feature}/{language}: {key} is not an English key"));
    }

    [Theory]
    [MemberData(nameof(FilesOtherThanEnglish))]
    public void Every_text_uses_the_placeholders_of_the_english_one(string feature, string language)
    {
        var english = Catalogue.Entries(feature, MessageCatalogue.English)!;
        var problems = new List<string>();
        foreach (var (key, entry) in Catalogue.Entries(feature, language) ?? new Dictionary<string, CatalogueEntry>())
        {
            if (!english.TryGetValue(key, out var original))
                continue;
            var expected = Placeholders(original.AllTexts);
            foreach (var text in entry.AllTexts)
            {
                var used = Placeholders([text]);
                if (!used.SetEquals(expected.Except(["count"])) && !used.SetEquals(expected))
                    problems.Add($"{feature}/{language}: {key} uses {{{string.Join("}, {", used.Order())}}} where English uses {{{string.Join("}, {", expected.Order())}}}");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Counting_texts_have_exactly_the_plural_forms_of_their_language()
    {
        var problems = new List<string>();
        foreach (var feature in Catalogue.Features)
            foreach (var language in Catalogue.Languages)
                foreach (var (key, entry) in Catalogue.Entries(feature, language) ?? new Dictionary<string, CatalogueEntry>())
                {
                    if (entry.Forms is null)
                        continue;
                    var wanted = PluralRules.CategoriesOf(Catalogue.PluralRuleOf(language)).ToHashSet();
                    if (!entry.Forms.Keys.ToHashSet().SetEquals(wanted))
                        problems.Add($"{feature}/{language}: {key} has {string.Join(", ", entry.Forms.Keys)}; {language} needs {string.Join(", ", wanted)}");
                }
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("ru", 3, "3 клиента поблагодарили вас")]
    [InlineData("ru", 5, "5 клиентов поблагодарили вас")]
    [InlineData("ru", 21, "21 клиент поблагодарил вас")]
    [InlineData("ru", 1000, "1 000 клиентов поблагодарили вас")]
    [InlineData("ro", 1, "Un client v-a mulțumit")]
    [InlineData("ro", 19, "19 clienți v-au mulțumit")]
    [InlineData("ro", 20, "20 de clienți v-au mulțumit")]
    [InlineData("bg", 1, "Един клиент ви благодари")]
    [InlineData("bg", 2, "2 клиенти ви благодариха")]
    [InlineData("en", 1, "A customer thanked you")]
    [InlineData("en", 2000, "2,000 customers thanked you")]
    public void A_count_takes_its_languages_plural_form_and_number_format(string locale, long count, string expected) =>
        Assert.Equal(expected, Catalogue.For("Kudos", locale).Count("summary.customers-thanked", count).Replace('\u00a0', ' ').Replace('\u202f', ' '));

    [Fact]
    public void Every_language_names_a_known_plural_rule()
    {
        Assert.All(Catalogue.Languages, language => Assert.Contains(
            Catalogue.Entries(MessageCatalogue.SharedFeature, language)?.GetValueOrDefault(MessageCatalogue.PluralRuleKey)?.Text, PluralRules.Families));
        Assert.Equal(PluralRules.EastSlavic, Catalogue.PluralRuleOf("ru"));
        Assert.Equal(PluralRules.Romanian, Catalogue.PluralRuleOf("ro"));
    }

    [Fact]
    public void No_text_is_empty()
    {
        var empty = from feature in Catalogue.Features
                    from language in Catalogue.Languages
                    from entry in Catalogue.Entries(feature, language) ?? new Dictionary<string, CatalogueEntry>()
                    where entry.Value.AllTexts.Any(string.IsNullOrWhiteSpace)
                    select $"{feature}/{language}: {entry.Key}";
        Assert.Empty(empty);
    }

    /// <summary>A heuristic for an English sentence left untranslated: three common English words in a row.</summary>
    [Theory]
    [MemberData(nameof(FilesOtherThanEnglish))]
    public void No_english_sentence_is_left_in_another_language(string feature, string language)
    {
        var leftovers = from entry in Catalogue.Entries(feature, language) ?? new Dictionary<string, CatalogueEntry>()
                        from text in entry.Value.AllTexts
                        where ThreeEnglishWords().IsMatch(Placeholder().Replace(text, "X"))
                        select $"{feature}/{language}: {entry.Key}: {text}";
        Assert.Empty(leftovers);
    }

    [Fact]
    public void The_english_heuristic_catches_an_untranslated_sentence() =>
        Assert.Matches(ThreeEnglishWords(), "Благодаря! It will also appear in the digest.");

    [Fact]
    public void A_locale_is_read_by_its_language_and_an_unknown_one_falls_back_to_english()
    {
        Assert.Equal("bg", Catalogue.LanguageOf("bg-BG"));
        Assert.Equal("ru", Catalogue.LanguageOf("ru"));
        Assert.Equal("en", Catalogue.LanguageOf("fr"));
        Assert.Equal("en", Catalogue.LanguageOf(null));
    }

    private static HashSet<string> Placeholders(IEnumerable<string> texts) =>
        texts.SelectMany(text => Placeholder().Matches(text).Select(match => match.Groups[1].Value)).ToHashSet();

    [GeneratedRegex(@"\{([a-z][a-z0-9-]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\b(?:the|a|an|and|or|to|of|in|on|for|with|you|your|it|is|this|that|will|be|can|we|our|from|has|have|was|by|as|at|not|so|they|them|also)\s+(?:the|a|an|and|or|to|of|in|on|for|with|you|your|it|is|this|that|will|be|can|we|our|from|has|have|was|by|as|at|not|so|they|them|also|appear|thanks|thank)\s+(?:the|a|an|and|or|to|of|in|on|for|with|you|your|it|is|this|that|will|be|can|we|our|from|has|have|was|by|as|at|not|so|they|them|also|appear|thanks|thank|digest|customer|colleague)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ThreeEnglishWords();
}
