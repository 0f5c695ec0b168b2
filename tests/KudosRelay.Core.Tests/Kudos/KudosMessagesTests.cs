using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

public sealed class KudosMessagesTests
{
    private static readonly KudosDmState Fresh = KudosDmState.Fresh(7, canShare: false);

    private static Person Agent(string locale) => new() { Id = 1, Email = "ana@example.com", DisplayName = "Ana Petrova", Locale = locale };

    [Fact]
    public void A_rating_without_words_is_the_bots_own_line_not_a_customer_quote()
    {
        var message = KudosMessages.CustomerKudosForAgent(Agent("en"), new Praise(null, "Maria", "csat5", 5, null), "Customer Care", Fresh);

        Assert.DoesNotContain(message.Blocks, block => block is QuoteBlock);
        Assert.Contains(new TextBlock("★★★★★ from Maria"), message.Blocks);
        Assert.Contains("★★★★★ from Maria", message.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "★★★★★ from a customer")]
    [InlineData("bg", "★★★★★ от клиент")]
    [InlineData("ru", "Оценка клиента: ★★★★★")]
    [InlineData("ro", "★★★★★ de la un client")]
    public void An_anonymous_rating_reads_naturally_in_each_language(string locale, string expected)
    {
        var message = KudosMessages.CustomerKudosForAgent(Agent(locale), new Praise(null, null, "stars5", 5, null), null, Fresh);

        Assert.Contains(new TextBlock(expected), message.Blocks);
    }

    [Fact]
    public void Words_are_quoted_as_written_with_the_rating_and_the_case_beneath()
    {
        var message = KudosMessages.CustomerKudosForAgent(Agent("ru"), new Praise("Ana a fost minunată!", "Elena", "nps10", 10, "CASE-42"), null, Fresh);

        Assert.Contains(new QuoteBlock("Ana a fost minunată!", "Elena"), message.Blocks);
        Assert.Contains(new ContextBlock("10/10 · дело CASE-42"), message.Blocks);
    }

    [Theory]
    [InlineData("en", "Call me on ‹phone hidden› or write to ‹e-mail hidden›")]
    [InlineData("bg", "Call me on ‹скрит телефон› or write to ‹скрит имейл›")]
    public void Redaction_marks_read_as_deliberate_in_the_readers_language(string locale, string expected)
    {
        var praise = new Praise($"Call me on {Redactor.Phone} or write to {Redactor.Email}", null, null, null, null);

        var message = KudosMessages.CustomerKudosForAgent(Agent(locale), praise, null, Fresh);

        Assert.Equal(expected, Assert.Single(message.Blocks.OfType<QuoteBlock>()).Text);
    }

    [Fact]
    public void No_filler_line_comes_between_the_heading_and_the_customers_words()
    {
        var message = KudosMessages.CustomerKudosForAgent(Agent("en"), new Praise("Thank you!", "Maria", null, null, null), null, Fresh);

        Assert.IsType<HeadingBlock>(message.Blocks[0]);
        Assert.IsType<QuoteBlock>(message.Blocks[1]);
    }

    [Fact]
    public void The_review_card_says_why_in_the_leads_language()
    {
        var lead = Agent("bg");

        var card = KudosMessages.ReviewRequest(lead, 9, null, new Praise("Ужасно, но благодаря", null, "csat5", 5, null), ReviewWhy.Contradiction);

        Assert.Contains(new ContextBlock("Защо е тук: оценката и думите на клиента сякаш казват различни неща."), card.Blocks);
    }
}
