using KudosRelay.Core.Tone;
using Xunit;

namespace KudosRelay.Core.Tests.Tone;

public sealed class ToneGuardTests
{
    private static ToneVerdict Check(string text, string? locale = "en") => ToneGuard.Shipped.Check(text, locale);

    [Fact]
    public void An_order_standing_alone_is_flagged_whole_and_suggested_as_a_question()
    {
        var verdict = Check("Fix the refund.");

        var flag = Assert.Single(verdict.Flags);
        Assert.Equal(new ToneFlag("Fix the refund.", "bare-imperative", "Could you fix the refund?", 0, 15), flag);
        Assert.Equal("Could you fix the refund?", verdict.SofterRewrite);
    }

    [Fact]
    public void The_same_verb_in_a_question_is_fine_and_the_rewrite_is_the_text_itself()
    {
        var verdict = Check("Could you fix the refund?");

        Assert.True(verdict.IsFine);
        Assert.Equal("Could you fix the refund?", verdict.SofterRewrite);
    }

    [Fact]
    public void Please_does_not_make_an_order_a_request()
    {
        Assert.Equal("Could you send it?", Assert.Single(Check("Please send it.").Flags).Suggestion);
        Assert.True(Check("Could you please send it?").IsFine);
    }

    [Fact]
    public void Asap_is_pressure_with_a_gentle_suggestion_and_not_shouting()
    {
        var flag = Assert.Single(Check("The customer needs it ASAP, thank you.").Flags);

        Assert.Equal(("ASAP", "pressure", "when you have a moment", 22, 4), (flag.Phrase, flag.Rule, flag.Suggestion, flag.Start, flag.Length));
    }

    [Fact]
    public void Every_problem_in_one_text_is_flagged_and_the_rewrite_softens_them_all()
    {
        var verdict = Check("Hi Ivo, fix this NOW!! It is your fault.");

        Assert.Equal(["bare-imperative", "pressure", "shouting", "repeated-punctuation", "blame"], verdict.Flags.Select(flag => flag.Rule));
        Assert.Equal("Hi Ivo, could you fix this when you have a moment? It is something we can sort out together.", verdict.SofterRewrite);
        Assert.True(Check(verdict.SofterRewrite).IsFine);
    }

    [Fact]
    public void Flags_point_at_their_phrase_in_the_text()
    {
        const string text = "Thanks for looking. Sadly this is still not resolved — unacceptable!!";

        var verdict = Check(text);

        Assert.All(verdict.Flags, flag => Assert.Equal(flag.Phrase, text.Substring(flag.Start, flag.Length)));
        Assert.Equal(["still not", "unacceptable", "!!"], verdict.Flags.Select(flag => flag.Phrase));
    }

    [Fact]
    public void A_placeholder_is_never_flagged_whatever_its_name()
    {
        Assert.True(Check("Hi {NAME}, {customer} thanked you {when}.").IsFine);
        Assert.True(Check("{fix}").IsFine);
    }

    [Fact]
    public void Case_references_and_known_acronyms_are_not_shouting()
    {
        Assert.True(Check("CASE-42 is within the SLA; the VIP's IBAN and ID are in the CRM.").IsFine);
        Assert.Equal("shouting", Assert.Single(Check("PLEASE look at this when you can.").Flags).Rule);
    }

    [Theory]
    [InlineData("ru", "Сделайте возврат.", "Не могли бы вы сделать возврат?")]
    [InlineData("ru-RU", "Пожалуйста, пришлите документы.", "Не могли бы вы прислать документы?")]
    [InlineData("bg", "Моля, изпратете документите.", "Бихте ли изпратили документите?")]
    [InlineData("bg-BG", "Иво, обадете се на клиента.", "Иво, бихте ли се обадили на клиента?")]
    [InlineData("ro", "Vă rog să trimiteți factura.", "Ați putea trimite factura?")]
    [InlineData("ro_RO", "Rezolvați problema.", "Ați putea rezolva problema?")]
    public void Each_language_turns_an_order_into_its_own_polite_question(string locale, string text, string softer)
    {
        Assert.Equal(softer, Check(text, locale).SofterRewrite);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("de-DE")]
    [InlineData("")]
    public void An_unknown_or_missing_locale_is_checked_with_english_rules(string? locale)
    {
        Assert.Equal("bare-imperative", Assert.Single(Check("Fix the refund.", locale).Flags).Rule);
        Assert.Equal("en", ToneGuard.Shipped.LanguageOf(locale));
    }

    [Fact]
    public void Obligation_opening_a_sentence_becomes_a_question_and_inside_one_a_softer_word()
    {
        Assert.Equal("Could you fix the refund?", Check("You must fix the refund.").SofterRewrite);
        Assert.Equal("Ați putea să răspundeți clientului?", Check("Trebuie să răspundeți clientului.", "ro").SofterRewrite);
        Assert.Equal("Departamentul ar fi bine să ramburseze suma.", Check("Departamentul trebuie să ramburseze suma.", "ro").SofterRewrite);
    }

    [Fact]
    public void A_threat_is_left_out_of_the_rewrite()
    {
        Assert.Equal("Could you do it?", Check("Do it or else.").SofterRewrite);
        Assert.Equal("Could you reply by end of day if you can?", Check("Reply by end of day or I'll escalate.").SofterRewrite);
    }

    [Fact]
    public void Every_language_ships_a_rule_file()
    {
        Assert.Equal(["bg", "en", "ro", "ru"], ToneGuard.Shipped.Languages.Order(StringComparer.Ordinal));
    }
}
