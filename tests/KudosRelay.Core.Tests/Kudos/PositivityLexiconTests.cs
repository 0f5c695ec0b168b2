using KudosRelay.Core.Kudos;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

/// <summary>Sentences as customers write them, with the verdict a team lead would give.</summary>
public sealed class PositivityLexiconTests
{
    // Theory arguments must be public types, so verdicts are written by name.
    private const string P = nameof(Polarity.Positive), B = nameof(Polarity.Borderline), N = nameof(Polarity.Negative);

    [Theory]
    [InlineData("Ana was so helpful, thank you!", P)]
    [InlineData("Great service, thanks a lot", P)]
    [InlineData("Not bad at all", P)]
    [InlineData("It was not bad", P)]
    [InlineData("It wasn't bad", P)]
    [InlineData("It wasn’t bad", P)]
    [InlineData("Terrible experience, nobody called me back", N)]
    [InlineData("The agent was rude and unhelpful", N)]
    [InlineData("Very slow response", N)]
    [InlineData("Not very helpful", N)]
    [InlineData("Not great", N)]
    [InlineData("Not helpful", N)]
    [InlineData("Hardly helpful", N)]
    [InlineData("Not impressed", N)]
    [InlineData("Not happy with the outcome", N)]
    [InlineData("Boris fixed my problem in minutes, brilliant!", P)]
    [InlineData("Excellent support, very professional", P)]
    [InlineData("Worst support ever", N)]
    [InlineData("Thank you so much for your patience", P)]
    [InlineData("I am disappointed", N)]
    [InlineData("Kudos to Maria, she went above and beyond", P)]
    [InlineData("Quick and friendly, thanks", P)]
    [InlineData("Everything was fine", P)]
    [InlineData("It's okay I guess", B)]
    [InlineData("ok", B)]
    [InlineData("The order arrived", B)]
    [InlineData("I have a question about my invoice", B)]
    [InlineData("Good morning, I need to change my address", B)]
    [InlineData("Problem solved, thanks!", P)]
    [InlineData("Still not resolved, very frustrating", N)]
    [InlineData("Absolutely fantastic service", P)]
    [InlineData("Highly recommend this team", P)]
    [InlineData("Awful, just awful", N)]
    [InlineData("Slightly slow but very helpful", P)]
    [InlineData("No problems at all, thank you", P)]
    [InlineData("Unacceptable delay", N)]
    [InlineData("Nothing bad to say, the team was great", P)]
    [InlineData("You are a star, thank you", P)]
    [InlineData("The support was useless", N)]
    [InlineData("Horrible. Never again.", N)]
    [InlineData("I'm really happy with how Ana handled it", P)]
    [InlineData("The agent was patient and kind", P)]
    [InlineData("THANKS!!!", P)]
    [InlineData("Meh", N)]
    [InlineData("👍👍", P)]
    [InlineData("Thanks ❤️", P)]
    [InlineData("Still waiting 😡", N)]
    [InlineData("Not 👍", N)]
    [InlineData("It was kind of slow", B)]
    public void English_sentences_get_the_expected_verdict(string sentence, string expected) => Check(sentence, "en", expected);

    [Theory]
    [InlineData("Спасибо большое, всё отлично!", P)]
    [InlineData("Не очень хорошо", N)]
    [InlineData("Не плохо", P)]
    [InlineData("Совсем не плохо", P)]
    [InlineData("Очень вежливый оператор", P)]
    [InlineData("Ужасное обслуживание", N)]
    [InlineData("Всё было плохо", N)]
    [InlineData("Оператор мне очень помог, спасибо", P)]
    [InlineData("Не помогли", N)]
    [InlineData("Никак не помогли", N)]
    [InlineData("Долго ждал ответа", N)]
    [InlineData("Очень долго ждал ответа", N)]
    [InlineData("Хамское отношение", N)]
    [InlineData("Благодарю за помощь", P)]
    [InlineData("Мария молодец!", P)]
    [InlineData("Всё супер, рекомендую", P)]
    [InlineData("Добрый день, у меня вопрос по заказу", B)]
    [InlineData("Так себе", N)]
    [InlineData("Нормально", P)]
    [InlineData("Не понравилось", N)]
    [InlineData("Мне очень понравилось", P)]
    [InlineData("Разочарован качеством", N)]
    [InlineData("Проблема решена, спасибо", P)]
    [InlineData("Проблема так и не решена", N)]
    [InlineData("Отличная работа!", P)]
    [InlineData("Быстро и вежливо", P)]
    [InlineData("Медленно и грубо", N)]
    [InlineData("Не очень быстро, но вежливо", P)]
    [InlineData("Оператор был невежлив", N)]
    [InlineData("Всё хорошо", P)]
    [InlineData("Ничего хорошего", N)]
    [InlineData("Ответили быстро и по делу", P)]
    [InlineData("Огромное спасибо Анне за терпение", P)]
    [InlineData("Я очень доволен", P)]
    [InlineData("Я недоволен", N)]
    [InlineData("Отвратительно", N)]
    [InlineData("Бесполезная поддержка", N)]
    [InlineData("Было не очень приятно", N)]
    [InlineData("Лучшая поддержка!", P)]
    [InlineData("Это худший сервис", N)]
    [InlineData("Вы лучшие, спасибо!", P)]
    [InlineData("Жалоба на оператора", N)]
    [InlineData("К сожалению, вопрос не решили", N)]
    [InlineData("Хочу изменить адрес доставки", B)]
    [InlineData("Спасибо 🙏", P)]
    [InlineData("Помогите, не могу войти в кабинет", B)]
    public void Russian_sentences_get_the_expected_verdict(string sentence, string expected) => Check(sentence, "ru", expected);

    [Theory]
    [InlineData("Благодаря много, бяхте страхотни", P)]
    [InlineData("Не е лошо", P)]
    [InlineData("Не беше зле", P)]
    [InlineData("Много лошо обслужване", N)]
    [InlineData("Служителят беше много любезен", P)]
    [InlineData("Ужасно отношение", N)]
    [InlineData("Благодаря за помощта", P)]
    [InlineData("Не ми помогнаха", N)]
    [InlineData("Никак не ми хареса", N)]
    [InlineData("Много ми хареса", P)]
    [InlineData("Бързо и професионално", P)]
    [InlineData("Бавно и грубо", N)]
    [InlineData("Чакахме прекалено дълго", N)]
    [InlineData("Добър ден, имам въпрос", B)]
    [InlineData("Всичко беше наред", P)]
    [InlineData("Браво на Мария!", P)]
    [InlineData("Мерси, супер сте!", P)]
    [InlineData("Не съм доволен", N)]
    [InlineData("Недоволен съм от отговора", N)]
    [InlineData("Разочарована съм", N)]
    [InlineData("Проблемът е решен, благодаря", P)]
    [InlineData("Проблемът не е решен", N)]
    [InlineData("Отлично обслужване", P)]
    [InlineData("Изключително учтив служител", P)]
    [InlineData("Безполезна поддръжка", N)]
    [InlineData("Наистина сте много мили", P)]
    [InlineData("Зле", N)]
    [InlineData("Не особено полезно", N)]
    [InlineData("Без проблеми, благодаря", P)]
    [InlineData("За съжаление никой не ми отговори", N)]
    [InlineData("Препоръчвам ви", P)]
    [InlineData("Грешка след грешка", N)]
    [InlineData("Много благодаря за търпението", P)]
    [InlineData("Нищо особено", B)]
    [InlineData("Доволна съм от обслужването", P)]
    [InlineData("Отговориха бързо", P)]
    [InlineData("Не беше приятно", N)]
    [InlineData("Кошмарно преживяване", N)]
    [InlineData("Чудесна работа, благодаря!", P)]
    [InlineData("Невероятно бързо обслужване", P)]
    [InlineData("Харесва ми", P)]
    [InlineData("Не ми харесва", N)]
    [InlineData("Оплакване за закъснение", N)]
    [InlineData("Най-добрият служител", P)]
    [InlineData("Искам да сменя адреса си", B)]
    [InlineData("Отличен служител", P)]
    [InlineData("Прекрасен отговор, благодаря", P)]
    [InlineData("Бавен отговор", N)]
    [InlineData("Помогнете ми, моля", B)]
    public void Bulgarian_sentences_get_the_expected_verdict(string sentence, string expected) => Check(sentence, "bg", expected);

    [Theory]
    [InlineData("Mulțumesc frumos, ați fost minunați", P)]
    [InlineData("nu a fost rău deloc", P)]
    [InlineData("Nu e rău", P)]
    [InlineData("Nu e chiar așa de rău", P)]
    [InlineData("Foarte amabil, mulțumesc", P)]
    [InlineData("Serviciu groaznic", N)]
    [InlineData("Operatorul a fost nepoliticos", N)]
    [InlineData("Nu m-au ajutat", N)]
    [InlineData("Nu mi-a plăcut deloc", N)]
    [InlineData("Mi-a plăcut foarte mult", P)]
    [InlineData("Multumesc mult pentru ajutor", P)]
    [InlineData("Rapid și eficient", P)]
    [InlineData("Prea lent", N)]
    [InlineData("Bună ziua, am o întrebare", B)]
    [InlineData("Sunt foarte mulțumită", P)]
    [InlineData("Sunt nemulțumit", N)]
    [InlineData("Nu sunt mulțumit", N)]
    [InlineData("Dezamăgitor", N)]
    [InlineData("Problema a fost rezolvată, mersi", P)]
    [InlineData("Problema nu a fost rezolvată", N)]
    [InlineData("Excelent!", P)]
    [InlineData("Super, mulțumesc!", P)]
    [InlineData("Cel mai bun operator", P)]
    [InlineData("Cel mai prost serviciu", N)]
    [InlineData("Din păcate nu m-a ajutat nimeni", N)]
    [InlineData("Nicio problemă, totul a fost bine", P)]
    [InlineData("Am așteptat prea mult, inacceptabil", N)]
    [InlineData("Vă recomand cu încredere", P)]
    [InlineData("Inutil", N)]
    [InlineData("Nu foarte util", N)]
    [InlineData("Ați fost extraordinari", P)]
    [InlineData("Maria a fost foarte răbdătoare", P)]
    [InlineData("Slab", N)]
    [InlineData("Răspuns rapid, mulțumesc", P)]
    [InlineData("Mulțam fain", P)]
    [InlineData("Bravo echipei!", P)]
    [InlineData("Penibil", N)]
    [InlineData("O experiență plăcută", P)]
    [InlineData("Am primit un răspuns greșit", N)]
    [InlineData("Felicitări pentru răbdare", P)]
    [InlineData("Vreau să schimb adresa de livrare", B)]
    [InlineData("Mersi 😊", P)]
    [InlineData("Ajutați-mă, vă rog", B)]
    [InlineData("M-ați ajutat enorm", P)]
    [InlineData("ok", B)]
    [InlineData("Mulţumesc, aţi fost de mare ajutor", P)]
    public void Romanian_sentences_get_the_expected_verdict(string sentence, string expected) => Check(sentence, "ro", expected);

    [Theory]
    [InlineData("Ana was so helpful, thank you!", "en")]
    [InlineData("Не очень хорошо", "ru")]
    [InlineData("Спасибо, всё отлично", "ru")]
    [InlineData("Благодаря много, бяхте страхотни", "bg")]
    [InlineData("Не е лошо", "bg")]
    [InlineData("Служителят беше много любезен", "bg")]
    [InlineData("Mulțumesc frumos, ați fost minunați", "ro")]
    [InlineData("nu a fost rau deloc", "ro")]
    [InlineData("Multumesc pentru ajutor", "ro")]
    [InlineData("Not bad at all", "en")]
    public void Language_is_detected_when_the_item_does_not_say(string sentence, string expected) =>
        Assert.Equal(expected, PositivityLanguage.Detect(sentence));

    [Theory]
    [InlineData("ro-RO", "ro")]
    [InlineData("BG", "bg")]
    [InlineData("ru_RU", "ru")]
    [InlineData("de", "en")]
    [InlineData("", "en")]
    public void The_item_language_is_used_when_there_is_a_lexicon_for_it(string language, string expected) =>
        Assert.Equal(expected, PositivityLanguage.Resolve("Thank you", language));

    [Fact]
    public void The_reason_lists_every_matched_term_with_its_points()
    {
        var verdict = Positivity.Score(null, "Not bad, really great!", "en", PositivityOptions.Default);

        Assert.Equal(Polarity.Positive, verdict.Polarity);
        Assert.Equal("matched: Not bad(+1), really great(+3) (en)", verdict.Reason);
    }

    [Fact]
    public void A_negator_reaches_a_sentiment_word_three_words_on_but_not_across_a_comma()
    {
        Assert.Equal("matched: nu a fost rău(+1) (ro)", Positivity.Score(null, "nu a fost rău", "ro", PositivityOptions.Default).Reason);
        Assert.Equal(Polarity.Negative, Positivity.Score(null, "Not me, it was bad", "en", PositivityOptions.Default).Polarity);
    }

    [Fact]
    public void Text_without_sentiment_words_is_borderline_without_a_score()
    {
        var verdict = Positivity.Score(null, "Order 123 arrived on Tuesday", "en", PositivityOptions.Default);

        Assert.Equal(new PositivityVerdict(Polarity.Borderline, null, "no sentiment words matched (en)"), verdict);
    }

    [Fact]
    public void Text_longer_than_the_stack_buffer_is_scored()
    {
        var text = string.Concat(Enumerable.Repeat("The agent was great. ", 80));

        Assert.Equal(Polarity.Positive, Positivity.Score(null, text, null, PositivityOptions.Default).Polarity);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("bg")]
    [InlineData("ro")]
    public void Every_lexicon_is_embedded_parses_and_says_it_was_written_for_KudosRelay(string language)
    {
        var lexicon = PositivityLexicon.Load(language);
        using var stream = typeof(PositivityLexicon).Assembly.GetManifestResourceStream($"KudosRelay.Core.Kudos.Lexicons.{language}.txt")!;
        using var reader = new StreamReader(stream);

        Assert.True(lexicon.WordCount > 100, $"{language}: {lexicon.WordCount} entries");
        Assert.Contains("Written for KudosRelay", reader.ReadToEnd().Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_lexicon_line_names_the_file_and_line()
    {
        var error = Assert.Throws<InvalidDataException>(() => PositivityLexicon.Parse("en", "# header\ngreat +2\ngreat +3\n"));

        Assert.Equal("Lexicons/en.txt line 3: 'great' is listed twice", error.Message);
    }

    private static void Check(string sentence, string language, string expectedName)
    {
        var expected = Enum.Parse<Polarity>(expectedName);
        var verdict = Positivity.Score(null, sentence, language, PositivityOptions.Default);
        Assert.True(expected == verdict.Polarity, $"\"{sentence}\": expected {expected}, got {verdict.Polarity} — {verdict.Reason}");
        // Rated items are read for their direction only, without the reason: the same verdict.
        Assert.Equal(verdict.Polarity, PositivityLexicon.TextPolarity(sentence, language, PositivityOptions.Default));
    }
}
