using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

public sealed class TeamPostMentionTests
{
    private static readonly Person Ana = new() { Id = 1, Email = "ana@example.com", DisplayName = "Ana Petrova", Locale = "en" };

    private static readonly ChatIdentity[] OnSlackAndTeams =
    [
        new() { Platform = "slack", UserId = "U0ANA", Workspace = "T0ACME" },
        new() { Platform = "teams", UserId = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f" },
    ];

    [Fact]
    public void A_team_post_mentions_the_agent_in_its_heading_with_their_id_on_each_platform()
    {
        var post = KudosMessages.CustomerKudosForTeam("en", Ana, OnSlackAndTeams, new Praise("Thank you!", "Maria", "csat5", 5, null), "Customer Care");

        var person = Assert.Single(post.People);
        Assert.Equal("Ana Petrova", person.DisplayName);
        Assert.Equal(new Dictionary<string, string> { ["slack"] = "U0ANA", ["teams"] = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f" }, person.UserIds);
        Assert.Equal(new HeadingBlock($"Kudos for {Mention.Of(0)}"), post.Blocks[0]);
        Assert.Contains("Kudos for Ana Petrova", MessageText.Of(post), StringComparison.Ordinal);
        Assert.Equal("Maria praised Ana Petrova: Thank you!", post.Summary);
    }

    [Fact]
    public void An_agent_without_a_chat_identity_is_named_and_the_post_mentions_nobody()
    {
        var post = KudosMessages.CustomerKudosForTeam("en", Ana, [], new Praise("Thank you!", "Maria", null, null, null), "Customer Care");

        Assert.Empty(post.People);
        Assert.Equal(new HeadingBlock("Kudos for Ana Petrova"), post.Blocks[0]);
    }

    [Fact]
    public void A_post_for_the_whole_team_names_the_team_and_mentions_nobody()
    {
        var post = KudosMessages.CustomerKudosForTeam("en", null, [], new Praise("Great team!", null, null, null, null), "Customer Care");

        Assert.Empty(post.People);
        Assert.Equal(new HeadingBlock("Kudos for Customer Care"), post.Blocks[0]);
    }

    [Fact]
    public void What_a_customer_wrote_never_turns_into_a_mention_even_when_it_looks_like_one()
    {
        var post = KudosMessages.CustomerKudosForTeam("en", Ana, OnSlackAndTeams, new Praise(null, "{@0}", "csat5", 5, "{@0}-7"), "Customer Care");

        var text = MessageText.Of(post);
        Assert.Contains("★★★★★ from {@0} · case {@0}-7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana Petrova · case", text, StringComparison.Ordinal);
    }
}
