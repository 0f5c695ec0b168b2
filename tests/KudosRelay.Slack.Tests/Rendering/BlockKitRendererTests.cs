using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Messaging;
using KudosRelay.Slack.Rendering;
using Xunit;
using KudosRelay.Testing;

namespace KudosRelay.Slack.Tests.Rendering;

public sealed class BlockKitRendererTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static readonly ChatMessage Kudos = new(
        "A customer thanked you: Ana",
        [
            new HeadingBlock("A customer said thank you"),
            new TextBlock("<@U0ANA>, a customer wrote about your call on *Tuesday* & asked us to pass it on <3"),
            new QuoteBlock("You were patient & kind.\nThank you!", "Customer, order 1234"),
            new FactsBlock([new Fact("Channel", "Phone"), new Fact("Team", "Customer Care")]),
            new ButtonsBlock([new ChatButton("Say thanks back", "kudos.reply", "kudos:42", ButtonStyle.Primary), new ChatButton("Hide", "kudos.hide", "kudos:42", ButtonStyle.Danger), new ChatButton("Later", "kudos.later", "")]),
            new ContextBlock("You get this because you are on the Care team."),
        ]);

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
    public void Text_is_escaped_but_user_mentions_survive()
    {
        Assert.Equal("a &amp; b &lt;c&gt; <@U0ANA> &lt;!channel&gt; &lt;@notauser&gt;", BlockKitRenderer.Escape("a & b <c> <@U0ANA> <!channel> <@notauser>"));
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
