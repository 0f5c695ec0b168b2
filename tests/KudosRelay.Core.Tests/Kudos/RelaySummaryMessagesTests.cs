using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

public sealed class RelaySummaryMessagesTests
{
    // Wednesday 2 December 2026, 13:00 UTC.
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);

    private static readonly string SeeAll = SummaryPageRef.ForAgent("summary:import:0f", 1);

    private static Person Agent(string locale) => new() { Id = 1, Email = "ana@example.com", DisplayName = "Ana Petrova", Locale = locale, TimeZone = "Europe/Sofia" };

    private static SummaryTally Tally(int count, DateTime earliest, params string[] words)
    {
        var tally = new SummaryTally();
        for (var i = 0; i < count; i++)
            tally.Add(new FeedbackItem { Id = i, ReceivedAt = i == 0 ? earliest : Now.UtcDateTime, RedactedText = i < words.Length ? words[i] : null, CustomerName = "Maria" }, "Ana Petrova");
        return tally;
    }

    [Theory]
    [InlineData("en", 12, "12 customers thanked you since Monday")]
    [InlineData("en", 1, "A customer thanked you since Monday")]
    [InlineData("bg", 12, "12 клиенти ви благодариха от понеделник")]
    [InlineData("bg", 1, "Един клиент ви благодари от понеделник")]
    [InlineData("ru", 21, "21 клиент поблагодарил вас с понедельника")]
    [InlineData("ru", 3, "3 клиента поблагодарили вас с понедельника")]
    [InlineData("ru", 12, "12 клиентов поблагодарили вас с понедельника")]
    [InlineData("ro", 1, "Un client v-a mulțumit de luni")]
    [InlineData("ro", 12, "12 clienți v-au mulțumit de luni")]
    [InlineData("ro", 20, "20 de clienți v-au mulțumit de luni")]
    public void The_agents_summary_counts_customers_with_the_languages_plural_since_the_day_the_first_one_arrived(string locale, int count, string heading)
    {
        var message = KudosMessages.SummaryForAgent(Agent(locale), Tally(count, new DateTime(2026, 11, 30, 8, 0, 0)), null, Now, SeeAll);

        Assert.Equal(new HeadingBlock(heading), message.Blocks[0]);
    }

    [Theory]
    [InlineData(2026, 12, 2, "today")]
    [InlineData(2026, 12, 1, "since yesterday")]
    [InlineData(2026, 11, 27, "since Friday")]
    [InlineData(2026, 11, 3, "since 3 November")]
    public void Since_reads_as_a_day_not_a_countdown(int year, int month, int day, string since)
    {
        var message = KudosMessages.SummaryForAgent(Agent("en"), Tally(5, new DateTime(year, month, day, 9, 0, 0)), null, Now, SeeAll);

        Assert.Equal(new HeadingBlock($"5 customers thanked you {since}"), message.Blocks[0]);
        Assert.Equal($"Ana, 5 customers thanked you {since}", message.Summary);
    }

    [Fact]
    public void The_three_most_specific_quotes_are_shown_and_the_rest_are_counted()
    {
        var tally = Tally(6, Now.UtcDateTime,
            "Thanks!",
            "Ana found the refund that two other people could not trace and explained every step",
            "Great",
            "Ana rebooked my delivery for Saturday morning without any fuss",
            "Ana called back from [phone] as promised about the broken router",
            "Good");

        var message = KudosMessages.SummaryForAgent(Agent("en"), tally, "Customer Care", Now, SeeAll);

        var quotes = message.Blocks.OfType<QuoteBlock>().Select(q => q.Text).ToList();
        Assert.Equal(3, quotes.Count);
        Assert.StartsWith("Ana found the refund", quotes[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Thanks!", quotes);
        Assert.Contains("Ana called back from ‹phone hidden› as promised about the broken router", quotes);
        Assert.Contains(new TextBlock("3 more customers said thank you too."), message.Blocks);
        Assert.Contains(message.Blocks, b => b is ContextBlock { Text: var text } && text.Contains("Customer Care sees it too", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "2 customers thanked Customer Care today", "Thanks went to Ana Petrova and Ivo Stanev.")]
    [InlineData("bg", "2 клиенти благодариха на Customer Care днес", "Благодарности получиха: Ana Petrova и Ivo Stanev.")]
    [InlineData("ru", "2 клиента поблагодарили команду «Customer Care» сегодня", "Благодарности получили: Ana Petrova и Ivo Stanev.")]
    [InlineData("ro", "2 clienți au mulțumit echipei Customer Care astăzi", "Mulțumirile au fost pentru Ana Petrova și Ivo Stanev.")]
    public void The_channel_post_names_everyone_praised_in_the_teams_language(string locale, string heading, string praised)
    {
        var tally = new SummaryTally();
        tally.Add(new FeedbackItem { Id = 1, ReceivedAt = Now.UtcDateTime, RedactedText = "Ana was patient with my router", CustomerName = "Maria" }, "Ana Petrova");
        tally.Add(new FeedbackItem { Id = 2, ReceivedAt = Now.UtcDateTime, RedactedText = "Ivo explained my bill", CustomerName = null }, "Ivo Stanev");

        var message = KudosMessages.SummaryForTeam(new TeamInfo { Id = 1, Name = "Customer Care", Locale = locale }, tally, Now, SummaryPageRef.ForTeam("summary:import:0f", 1));

        Assert.Equal(new HeadingBlock(heading), message.Blocks[0]);
        Assert.Equal(new TextBlock(praised), message.Blocks[1]);
    }
}
