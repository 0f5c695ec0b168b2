using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Slack.Rendering;
using Xunit;
using KudosRelay.Testing;

namespace KudosRelay.Slack.Tests.Rendering;

public sealed class BlockKitRendererTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly ChatPerson Ana = new("Ana Petrova", new Dictionary<string, string> { ["slack"] = "U0ANA", ["teams"] = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f" });

    private static readonly ChatPerson AnaOnTeamsOnly = new("Ana <Petrova> & Co", new Dictionary<string, string> { ["teams"] = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f" });

    internal static readonly ChatMessage Kudos = new(
        "A customer thanked you: Ana",
        [
            new HeadingBlock("A customer said thank you"),
            new TextBlock($"{Mention.Of(0)}, a customer wrote about your call on *Tuesday* & asked us to pass it on <3"),
            new QuoteBlock("You were patient & kind.\nThank you!", "Customer, order 1234"),
            new FactsBlock([new Fact("Channel", "Phone"), new Fact("Team", "Customer Care")]),
            new ButtonsBlock([new ChatButton("Say thanks back", "kudos.reply", "kudos:42", ButtonStyle.Primary), new ChatButton("Hide", "kudos.hide", "kudos:42", ButtonStyle.Danger), new ChatButton("Later", "kudos.later", "")]),
            new ContextBlock("You get this because you are on the Care team."),
        ])
    {
        People = [Ana],
    };

    /// <summary>A team channel post, as the kudos feature writes it for an agent with chat identities.</summary>
    internal static readonly ChatMessage TeamPost = new(
        "Maria praised Ana Petrova: You were patient & kind.",
        [
            new HeadingBlock($"Kudos for {Mention.Of(0)}"),
            new QuoteBlock("You were patient & kind. {@0} stays as written.", "Maria"),
            new ContextBlock("★★★★★ · case CASE-42"),
            new ContextBlock("Customer feedback relayed by KudosRelay."),
        ])
    {
        People = [Ana],
    };

    [Fact]
    public void A_kudos_message_matches_its_golden_file() => AssertGolden("kudos", Kudos);

    [Fact]
    public void A_person_picker_is_a_section_with_a_users_select_carrying_the_payload_in_its_block_id()
    {
        var blocks = BlockKitRenderer.Render(new ChatMessage("Kudos",
            [new PersonPickerBlock("Did a colleague help? Pass it on & <share>", "Choose a colleague", new ChatButton("Pass it on", "kudos.pass", "42"))])).Blocks;

        var section = Assert.Single(blocks)!;
        Assert.Equal(("section", "42"), (section["type"]!.GetValue<string>(), section["block_id"]!.GetValue<string>()));
        Assert.Equal("Did a colleague help? Pass it on &amp; &lt;share&gt;", section["text"]!["text"]!.GetValue<string>());
        var select = section["accessory"]!;
        Assert.Equal(("users_select", "kudos.pass", "Choose a colleague"),
            (select["type"]!.GetValue<string>(), select["action_id"]!.GetValue<string>(), select["placeholder"]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public void A_person_picker_whose_payload_cannot_be_a_block_id_is_refused_rather_than_cut()
    {
        var message = new ChatMessage("Kudos", [new PersonPickerBlock("Who helped?", "Choose", new ChatButton("Pass it on", "kudos.pass", new string('9', 256)))]);

        Assert.Equal("block_id_too_long", Assert.Throws<SlackRenderException>(() => BlockKitRenderer.Render(message)).Error);
    }

    [Fact]
    public void An_oversized_message_matches_its_golden_file()
    {
        var message = new ChatMessage(
            new string('s', 5000),
            [
                new HeadingBlock(new string('h', 200)),
                new TextBlock(new string('t', 3100)),
                new FactsBlock([.. Enumerable.Range(1, 12).Select(i => new Fact($"Label {i}", $"Value {i}"))]),
                new ButtonsBlock([.. Enumerable.Range(1, 27).Select(i => new ChatButton(i == 1 ? new string('b', 100) : $"B{i}", $"act.{i}", $"{i}"))]),
            ]);

        AssertGolden("oversized", message);
    }

    [Fact]
    public void Slack_syntax_in_text_is_shown_as_written_and_pings_nobody()
    {
        Assert.Equal("a &amp; b &lt;c&gt; &lt;@U0ANA&gt; &lt;!channel&gt; &lt;@notauser&gt;", BlockKitRenderer.Escape("a & b <c> <@U0ANA> <!channel> <@notauser>"));
    }

    [Fact]
    public void A_team_post_matches_its_golden_file() => AssertGolden("team-post", TeamPost);

    [Fact]
    public void A_heading_that_mentions_someone_with_a_slack_id_is_a_bold_section_that_notifies_them()
    {
        var rendered = BlockKitRenderer.Render(TeamPost);

        var heading = rendered.Blocks[0]!;
        Assert.Equal(("section", "mrkdwn", "*Kudos for <@U0ANA>*"),
            ((string)heading["type"]!, (string)heading["text"]!["type"]!, (string)heading["text"]!["text"]!));
        Assert.Equal("Maria praised Ana Petrova: You were patient &amp; kind.", rendered.Text);
    }

    [Fact]
    public void Someone_without_a_slack_id_is_written_by_name_in_a_plain_header_and_in_text()
    {
        var message = new ChatMessage("Kudos", [new HeadingBlock($"Kudos for {Mention.Of(0)}"), new TextBlock($"Well done, {Mention.Of(0)}!"), new ContextBlock($"About {Mention.Of(0)}")])
        {
            People = [AnaOnTeamsOnly],
        };

        var blocks = BlockKitRenderer.Render(message).Blocks;

        Assert.Equal(("header", "Kudos for Ana <Petrova> & Co"), ((string)blocks[0]!["type"]!, (string)blocks[0]!["text"]!["text"]!));
        Assert.Equal("Well done, Ana &lt;Petrova&gt; &amp; Co!", (string)blocks[1]!["text"]!["text"]!);
        Assert.Equal("About Ana &lt;Petrova&gt; &amp; Co", (string)blocks[2]!["elements"]![0]!["text"]!);
    }

    [Fact]
    public void No_mention_token_is_ever_left_in_what_slack_receives()
    {
        var message = TeamPost with { Blocks = [.. TeamPost.Blocks, new TextBlock(Mention.Literal("A customer wrote {@0} and {@@ here")), new TextBlock(new string('x', 2995) + Mention.Of(0))] };

        var rendered = BlockKitRenderer.Render(message);
        var texts = rendered.Blocks.Select(b => b!.ToJsonString(Indented)).ToList();

        Assert.Contains(texts, t => t.Contains("A customer wrote {@0} and {@@ here", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("You were patient &amp; kind. {@0} stays as written.", StringComparison.Ordinal));   // a quote is never read for mentions
        Assert.DoesNotContain(texts.Where(t => !t.Contains("customer wrote", StringComparison.Ordinal) && !t.Contains("stays as written", StringComparison.Ordinal)),
            t => t.Contains("{@", StringComparison.Ordinal));
        Assert.EndsWith("x…", (string)rendered.Blocks[^1]!["text"]!["text"]!, StringComparison.Ordinal);   // a cut drops a mention whole, never half of it
    }

    [Fact]
    public void A_cut_never_splits_a_mention()
    {
        Assert.Equal("Thanks …", BlockKitRenderer.Truncate("Thanks <@U0ANA>", 12));
        Assert.Equal("Thanks <@U0ANA>…", BlockKitRenderer.Truncate("Thanks <@U0ANA> and more", 16));
    }

    [Fact]
    public void Every_limit_is_respected_and_cuts_end_with_an_ellipsis()
    {
        var message = new ChatMessage(
            "",
            [
                new HeadingBlock(new string('h', 500)),
                .. Enumerable.Range(0, 60).Select(i => (MessageBlock)new TextBlock(new string('&', 2000))),
            ]);

        var rendered = BlockKitRenderer.Render(message);

        Assert.Equal(BlockKitRenderer.MaxBlocks, rendered.Blocks.Count);
        var header = (string)rendered.Blocks[0]!["text"]!["text"]!;
        Assert.Equal(BlockKitRenderer.MaxHeaderChars, header.Length);
        Assert.EndsWith("…", header, StringComparison.Ordinal);
        var section = (string)rendered.Blocks[1]!["text"]!["text"]!;
        Assert.True(section.Length <= BlockKitRenderer.MaxSectionChars);
        Assert.EndsWith("&amp;…", section, StringComparison.Ordinal);   // never half an escape
        Assert.Equal("context", (string)rendered.Blocks[^1]!["type"]!);
        Assert.False(string.IsNullOrWhiteSpace(rendered.Text));         // fallback from the heading when the summary is empty
        Assert.StartsWith("hhh", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_home_view_holds_twice_a_messages_blocks_and_a_page_carries_the_press_that_made_it()
    {
        var list = new ChatMessage("Many", [.. Enumerable.Range(0, 120).Select(i => (MessageBlock)new TextBlock($"Thanks {i}"))]);

        var home = BlockKitRenderer.RenderHomeView(list);
        var page = BlockKitRenderer.RenderHomeView(BlockKitRenderer.HomePage(new ChatPage(list, "Back to Home")), new SlackPageOrigin("kudos.summary.see-all", "summary:import:ab:dm:7"));

        Assert.Equal(BlockKitRenderer.MaxViewBlocks, home["blocks"]!.AsArray().Count);
        Assert.Null(home["callback_id"]);
        Assert.Equal(("home", BlockKitRenderer.PageCallbackId), ((string?)page["type"], (string?)page["callback_id"]));
        Assert.Equal(new SlackPageOrigin("kudos.summary.see-all", "summary:import:ab:dm:7"), SlackPageOrigin.FromView((string?)page["callback_id"], (string?)page["private_metadata"]));
        var back = page["blocks"]![0]!["elements"]![0]!;
        Assert.Equal((BlockKitRenderer.HomeActionId, "Back to Home", null), ((string?)back["action_id"], (string?)back["text"]!["text"], (string?)back["value"]));
    }

    [Theory]
    [InlineData(null, """{"action":"a","payload":"p"}""")]
    [InlineData("someone.elses", """{"action":"a","payload":"p"}""")]
    [InlineData(BlockKitRenderer.PageCallbackId, "")]
    [InlineData(BlockKitRenderer.PageCallbackId, "not json")]
    [InlineData(BlockKitRenderer.PageCallbackId, """{"action":5,"payload":"p"}""")]
    [InlineData(BlockKitRenderer.PageCallbackId, """{"action":"","payload":"p"}""")]
    [InlineData(BlockKitRenderer.PageCallbackId, "[1]")]
    public void A_home_view_that_is_not_one_of_our_pages_names_no_press(string? callbackId, string metadata) =>
        Assert.Null(SlackPageOrigin.FromView(callbackId, metadata));

    [Fact]
    public void Empty_blocks_slack_would_refuse_are_left_out()
    {
        var message = new ChatMessage("Only this", [new HeadingBlock(" "), new TextBlock(""), new ContextBlock("\n"), new FactsBlock([]), new ButtonsBlock([]), new TextBlock("kept")]);

        var rendered = BlockKitRenderer.Render(message);

        Assert.Equal("section", (string)Assert.Single(rendered.Blocks)!["type"]!);
        Assert.Equal("Only this", rendered.Text);
    }

    [Fact]
    public void A_button_payload_slack_would_cut_is_refused_rather_than_changed()
    {
        var message = new ChatMessage("x", [new ButtonsBlock([new ChatButton("Go", "go", new string('p', 2001))])]);

        var refused = Assert.Throws<SlackRenderException>(() => BlockKitRenderer.Render(message));
        Assert.Equal("button_value_too_long", refused.Error);
    }

    [Fact]
    public void Button_action_ids_and_payloads_round_trip_unchanged()
    {
        var rendered = BlockKitRenderer.Render(Kudos);

        var buttons = rendered.Blocks.Where(b => (string)b!["type"]! == "actions").SelectMany(b => b!["elements"]!.AsArray()).ToList();
        Assert.Equal(["kudos.reply", "kudos.hide", "kudos.later"], buttons.Select(b => (string)b!["action_id"]!));
        Assert.Equal(["kudos:42", "kudos:42", null], buttons.Select(b => (string?)b!["value"]));
    }

    private static void AssertGolden(string name, ChatMessage message)
    {
        var rendered = BlockKitRenderer.Render(message);
        var actual = new JsonObject { ["text"] = rendered.Text, ["blocks"] = rendered.Blocks.DeepClone() }.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        var source = Path.Combine(SpecFiles.RepositoryRoot, "tests", "KudosRelay.Slack.Tests", "Rendering", "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
            File.WriteAllText(source, actual);

        Assert.True(File.Exists(source), $"no golden file {source}; run with UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(source).ReplaceLineEndings("\n"), actual);
    }
}
