using System.Text.RegularExpressions;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Escalations;

public sealed partial class NudgeMessagesTests
{
    private static readonly MessageCatalogue Catalogue = MessageCatalogue.Shipped;
    private static readonly TimeZoneInfo Sofia = TimeZoneInfo.FindSystemTimeZoneById("Europe/Sofia");

    // Tuesday 1 December 2026, 07:30 UTC: 09:30 in Sofia, 02:30 in New York (the night of Monday there).
    private static readonly DateTimeOffset AskedAt = new(2026, 12, 1, 7, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Thursday = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> WhyQuestion = new()
    {
        ["en"] = "Why am I getting this? ",
        ["bg"] = "Защо получавам това? ",
        ["ru"] = "Почему я получаю это сообщение? ",
        ["ro"] = "De ce primesc acest mesaj? ",
    };

    private static readonly string[] ThreeStages = ["a", "b", "c"];
    private static readonly string[] Reminders = ["reminder-1", "reminder-2", "reminder-3"];

    private static readonly string[] Stages = ["heads-up", "due", "reminder", "lead"];

    private static NudgeCase Case(long id = 41, NudgeKind kind = NudgeKind.Due, string stage = "due", string? note = "She has called twice; a short call would reassure her.", string? url = "https://help.example.com/c/4711") =>
        new(id, kind, stage, "C-4711", url, "a refund for a double charge on her March invoice", "Ana Petrova", note, AskedAt);

    private static NudgeReader Ivo(string locale = "en", NudgeAudience audience = NudgeAudience.Owner) => new(audience, "Ivo", locale, Sofia);

    public static TheoryData<string> Languages() => [.. Catalogue.Languages];

    public static TheoryData<string, string, int> EveryPhrasing()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var language in Catalogue.Languages)
            foreach (var stage in Stages.Concat(["batch", "batch.lead"]))
                for (var n = 1; n <= NudgeMessages.Phrasings; n++)
                    data.Add(language, stage, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPhrasing))]
    public void Every_phrasing_greets_by_name_tells_the_customers_situation_and_since_when_and_asks(string language, string stage, int n)
    {
        var text = Catalogue.Entries(NudgeMessages.Feature, language)![$"{stage}.{n}"].Text!;

        Assert.Matches(Greeting(), text);
        Assert.Contains("{name}", text, StringComparison.Ordinal);
        Assert.Contains('?', text);
        if (stage.StartsWith("batch", StringComparison.Ordinal))
            Assert.Contains("{department}", text, StringComparison.Ordinal);
        else
        {
            Assert.Contains("{summary}", text, StringComparison.Ordinal);
            Assert.Contains("{when}", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_stage_has_exactly_its_phrasings_and_every_part_has_its_variants(string language)
    {
        var keys = Catalogue.Entries(NudgeMessages.Feature, language)!.Keys.ToHashSet();

        foreach (var prefix in Stages.Concat(["batch", "batch.lead", "offer.help", "thanks"]))
        {
            var numbered = keys.Where(key => key.StartsWith($"{prefix}.", StringComparison.Ordinal) && int.TryParse(key[(prefix.Length + 1)..], out _)).Order().ToList();
            Assert.Equal(Enumerable.Range(1, NudgeMessages.Phrasings).Select(n => $"{prefix}.{n}"), numbered);
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void A_nudge_carries_every_part_in_order(string language)
    {
        foreach (var kind in Enum.GetValues<NudgeKind>())
            foreach (var stage in ThreeStages)
            {
                var message = NudgeMessages.Nudge(Ivo(language), "Billing", [Case(kind: kind, stage: stage)], Thursday);
                var texts = message.Blocks.Select(Text).ToList();

                var opening = Assert.IsType<TextBlock>(message.Blocks[0]).Text;
                Assert.Contains("Ivo", opening, StringComparison.Ordinal);
                Assert.Contains("a refund for a double charge on her March invoice", opening, StringComparison.Ordinal);
                Assert.Contains(Moments.Describe(AskedAt, Thursday, Sofia, language), opening, StringComparison.Ordinal);
                Assert.Contains('?', opening);
                Assert.Equal(new QuoteBlock("She has called twice; a short call would reassure her.", "Ana Petrova"), message.Blocks[1]);
                var offer = Assert.IsType<TextBlock>(message.Blocks[2]).Text;
                Assert.Contains("C-4711", offer, StringComparison.Ordinal);
                Assert.Contains("https://help.example.com/c/4711", offer, StringComparison.Ordinal);
                Assert.Contains(Enumerable.Range(1, 3), n => Assert.IsType<TextBlock>(message.Blocks[3]).Text == Catalogue.For(NudgeMessages.Feature, language)[$"thanks.{n}"]);
                var buttons = Assert.IsType<ButtonsBlock>(message.Blocks[4]).Buttons;
                Assert.Equal(NudgeButtons.All, buttons.Select(button => button.ActionId));
                Assert.All(buttons, button => Assert.Equal("41", button.Payload));
                var why = Assert.IsType<ContextBlock>(message.Blocks[5]).Text;
                Assert.StartsWith(WhyQuestion[language], why, StringComparison.Ordinal);
                Assert.Contains("C-4711", why, StringComparison.Ordinal);
                Assert.Contains("Ana Petrova", why, StringComparison.Ordinal);
                Assert.Contains("a refund for a double charge", message.Summary, StringComparison.Ordinal);
                Assert.All(texts, text => Assert.DoesNotContain("{", text, StringComparison.Ordinal));
            }
    }

    [Theory]
    [InlineData("en", "Hi Billing team,")]
    [InlineData("bg", "екип Billing")]
    [InlineData("ru", "коллеги из отдела «Billing»")]
    [InlineData("ro", "echipa Billing")]
    public void A_channel_is_greeted_as_the_department_and_told_why_it_and_not_a_person_is_asked(string language, string greeting)
    {
        var messages = ThreeStages.Select(stage => NudgeMessages.Nudge(Ivo(language, NudgeAudience.Channel), "Billing", [Case(stage: stage)], Thursday)).ToList();

        Assert.Contains(messages, message => Assert.IsType<TextBlock>(message.Blocks[0]).Text.Contains(greeting, StringComparison.Ordinal));
        Assert.All(messages, message => Assert.DoesNotContain("Ivo", MessageText.Of(message), StringComparison.Ordinal));
        Assert.All(messages, message => Assert.Equal(
            Catalogue.For(NudgeMessages.Feature, language).Format("why.channel", ("requester", "Ana Petrova"), ("department", "Billing"), ("case", "C-4711")),
            Assert.IsType<ContextBlock>(message.Blocks[^1]).Text));
    }

    [Fact]
    public void Without_a_link_or_a_note_the_case_reference_is_the_offer_and_nothing_is_quoted()
    {
        var message = NudgeMessages.Nudge(Ivo(), "Billing", [Case(note: null, url: null)], Thursday);

        Assert.DoesNotContain(message.Blocks, block => block is QuoteBlock);
        Assert.StartsWith("Everything we know is in case C-4711. ", Assert.IsType<TextBlock>(message.Blocks[1]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Successive_reminders_about_one_case_read_differently_and_a_rebuilt_nudge_reads_the_same()
    {
        var openings = Reminders
            .Select(stage => Assert.IsType<TextBlock>(NudgeMessages.Nudge(Ivo(), "Billing", [Case(kind: NudgeKind.Reminder, stage: stage)], Thursday).Blocks[0]).Text)
            .ToList();

        Assert.Equal(3, openings.Distinct().Count());
        Assert.Equal(
            MessageText.Of(NudgeMessages.Nudge(Ivo(), "Billing", [Case(kind: NudgeKind.Reminder, stage: "reminder-2")], Thursday)),
            MessageText.Of(NudgeMessages.Nudge(Ivo(), "Billing", [Case(kind: NudgeKind.Reminder, stage: "reminder-2")], Thursday)));
    }

    [Theory]
    [InlineData("Europe/Sofia", "on Tuesday morning")]
    [InlineData("America/New_York", "on Monday night")]
    public void Since_when_is_told_in_the_readers_own_time_zone(string zone, string expected)
    {
        var reader = new NudgeReader(NudgeAudience.Owner, "Ivo", "en", TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Contains(expected, Assert.IsType<TextBlock>(NudgeMessages.Nudge(reader, "Billing", [Case()], Thursday).Blocks[0]).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", 3, "3 customers are waiting on Billing")]
    [InlineData("bg", 2, "2 клиенти очакват помощ от Billing")]
    [InlineData("ru", 3, "3 клиента ждут помощи отдела «Billing»")]
    [InlineData("ru", 5, "5 клиентов ждут помощи отдела «Billing»")]
    [InlineData("ro", 3, "3 clienți așteaptă ajutorul echipei Billing")]
    [InlineData("ro", 21, "21 de clienți așteaptă ajutorul echipei Billing")]
    public void Several_cases_for_one_reader_become_one_message_with_a_section_and_buttons_per_case(string language, int count, string heading)
    {
        var cases = Enumerable.Range(1, count).Select(i => Case(id: 100 + i, note: i == 1 ? "VIP" : null)).ToList();

        var message = NudgeMessages.Nudge(Ivo(language), "Billing", cases, Thursday);

        Assert.Equal(heading, message.Summary);
        Assert.Equal(new HeadingBlock(heading), message.Blocks[0]);
        Assert.Contains("Ivo", Assert.IsType<TextBlock>(message.Blocks[1]).Text, StringComparison.Ordinal);
        Assert.Contains('?', Assert.IsType<TextBlock>(message.Blocks[1]).Text);
        Assert.Equal(cases.Select(c => c.EscalationId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            message.Blocks.OfType<ButtonsBlock>().Select(block => block.Buttons.Select(b => b.Payload).Distinct().Single()));
        Assert.Equal(count, message.Blocks.OfType<TextBlock>().Count(block => block.Text.Contains("a refund for a double charge", StringComparison.Ordinal)));
        Assert.Single(message.Blocks.OfType<QuoteBlock>());
        Assert.Equal(Catalogue.For(NudgeMessages.Feature, language).Format("why.batch.person", ("department", "Billing")), Assert.IsType<ContextBlock>(message.Blocks[^1]).Text);
    }

    [Fact]
    public void The_lead_reads_the_leads_note_whatever_stage_the_case_is_at()
    {
        var message = NudgeMessages.Nudge(Ivo("en", NudgeAudience.Lead), "Billing", [Case(kind: NudgeKind.Reminder, stage: "lead")], Thursday);

        Assert.StartsWith("A quiet note", message.Summary, StringComparison.Ordinal);
        Assert.StartsWith("Why am I getting this? You lead Billing", Assert.IsType<ContextBlock>(message.Blocks[^1]).Text, StringComparison.Ordinal);
    }

    /// <summary>Words a colleague must never read from the bot, in any of its languages (tone.md).</summary>
    [Theory]
    [MemberData(nameof(Languages))]
    public void No_text_blames_orders_or_counts_down(string language)
    {
        var problems = from entry in Catalogue.Entries(NudgeMessages.Feature, language)!
                       from text in entry.Value.AllTexts
                       let match = Forbidden().Match(text)
                       where match.Success || ShoutedWord().IsMatch(text)
                       select $"{language}: {entry.Key}: {(match.Success ? match.Value : ShoutedWord().Match(text).Value)}";

        Assert.Empty(problems);
    }

    [Fact]
    public void The_forbidden_words_check_catches_what_it_should() => Assert.All(
        ["This is overdue.", "You are late", "an SLA breach", "Сделайте это срочно", "просрочено", "трябва да", "Trebuie să", "imediat", "ASAP", "really?!", "Help!!", "закъснение", "întârziere", "again"],
        text => Assert.True(Forbidden().IsMatch(text) || ShoutedWord().IsMatch(text), text));

    private static string Text(MessageBlock block) => block switch
    {
        TextBlock b => b.Text,
        QuoteBlock b => b.Text,
        ContextBlock b => b.Text,
        HeadingBlock b => b.Text,
        _ => "",
    };

    [GeneratedRegex(@"\b(?:overdue|late|lateness|breach\w*|must|have to|immediately|asap|urgent\w*|again|still not|your fault|you failed|unacceptable|deadline)\b|просроч\w*|закъсн\w*|опозда\w*|нарушен\w*|срочно|спешно|незабавно|немедленно|обязаны|длъжни|трябва да|должны|\bснова|\bотново|\bпак\b|trebuie să|imediat|întârzi\w*|depășit\w*|încălca\w*|urgent|din nou|!!|\?!|!\?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Forbidden();

    [GeneratedRegex(@"^(?:Hi|Hello|Здравейте,|Добър ден,|Здравствуйте,|Добрый день,|Bună ziua,|Bună,) \{name\}[,.] ")]
    private static partial Regex Greeting();

    [GeneratedRegex(@"\b\p{Lu}{4,}\b")]
    private static partial Regex ShoutedWord();
}
