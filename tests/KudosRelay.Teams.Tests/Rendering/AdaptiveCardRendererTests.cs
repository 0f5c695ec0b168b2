using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using KudosRelay.Core.Messaging;
using KudosRelay.Teams.Rendering;
using Xunit;
using KudosRelay.Testing;

namespace KudosRelay.Teams.Tests.Rendering;

public sealed class AdaptiveCardRendererTests
{
    private static readonly SpecSchema Schema = SpecSchema.Load("adaptivecards/adaptive-card.schema.1.5.json");

    public static readonly ChatMessage Kudos = new("Kudos for Dana from a customer",
    [
        new HeadingBlock("A customer says thank you"),
        new TextBlock("Dana's fix saved our quarter-end close."),
        new QuoteBlock("Dana was patient, quick and kind. Best support we've had.", "Jo at Contoso"),
        new FactsBlock([new Fact("Ticket", "#4711"), new Fact("Team", "Billing")]),
        new ContextBlock("You get this because you lead Billing."),
        new ButtonsBlock([new ChatButton("Share with the team", "kudos.share", "4711", ButtonStyle.Primary), new ChatButton("Keep private", "kudos.private", "4711"), new ChatButton("Not kudos", "kudos.reject", "4711", ButtonStyle.Danger)]),
    ]);

    public static readonly ChatMessage Nudge = new("Escalation ESC-12 waits for an answer",
    [
        new HeadingBlock("ESC-12 is waiting"),
        new FactsBlock([new Fact("Customer", "Fabrikam"), new Fact("Open since", "Monday 09:00")]),
        new ButtonsBlock([new ChatButton("Done", "nudge.done", "12"), new ChatButton("Snooze a day", "nudge.snooze", """{"id":12,"days":1}""")]),
    ]);

    private const string AnaAad = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f";

    private static readonly TeamsCardSchema TeamsCard = new("adaptivecards", "adaptive-card.schema.1.5.json");

    private static readonly ChatPerson Ana = new("Ana Petrova", new Dictionary<string, string> { ["slack"] = "U0ANA", ["teams"] = AnaAad });

    /// <summary>A team channel post, as the kudos feature writes it for an agent with chat identities.</summary>
    public static readonly ChatMessage TeamPost = new("Maria praised Ana Petrova: You were patient and kind.",
    [
        new HeadingBlock($"Kudos for {Mention.Of(0)}"),
        new QuoteBlock("You were patient and kind. {@0} stays as written.", "Maria"),
        new ContextBlock("★★★★★ · case CASE-42"),
        new ContextBlock("Customer feedback relayed by KudosRelay."),
    ])
    {
        People = [Ana],
    };

    [Theory]
    [InlineData("kudos")]
    [InlineData("nudge")]
    [InlineData("team-post")]
    public void Cards_match_their_golden_files_and_the_schema(string name)
    {
        var card = AdaptiveCardRenderer.Render(name switch { "kudos" => Kudos, "nudge" => Nudge, _ => TeamPost });

        Assert.Empty(TeamsCard.Validate(card));
        Golden.AssertMatches($"{name}.card.json", AdaptiveCardRenderer.ToJson(card));
    }

    [Fact]
    public void A_mention_is_an_at_tag_in_the_text_with_one_entity_of_the_same_text_carrying_the_azure_ad_object_id()
    {
        var card = AdaptiveCardRenderer.Render(TeamPost with { Blocks = [.. TeamPost.Blocks, new TextBlock($"Well done, {Mention.Of(0)}!")] });

        Assert.Equal("Kudos for <at>Ana Petrova</at>", card["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Well done, <at>Ana Petrova</at>!", card["body"]!.AsArray()[^1]!["text"]!.GetValue<string>());
        var entity = Assert.Single(card["msteams"]!["entities"]!.AsArray())!;
        Assert.Equal(("mention", "<at>Ana Petrova</at>", AnaAad, "Ana Petrova"),
            (entity["type"]!.GetValue<string>(), entity["text"]!.GetValue<string>(), entity["mentioned"]!["id"]!.GetValue<string>(), entity["mentioned"]!["name"]!.GetValue<string>()));
        Assert.Equal("Maria praised Ana Petrova: You were patient and kind.", card["fallbackText"]!.GetValue<string>());
        Assert.Empty(TeamsCard.Validate(card));
    }

    [Fact]
    public void Someone_without_a_teams_id_is_written_by_name_and_the_card_has_no_entities()
    {
        var card = AdaptiveCardRenderer.Render(TeamPost with { People = [new ChatPerson("Ana Petrova", new Dictionary<string, string> { ["slack"] = "U0ANA" })] });

        Assert.Equal("Kudos for Ana Petrova", card["body"]![0]!["text"]!.GetValue<string>());
        Assert.Null(card["msteams"]);
        Assert.Empty(Schema.Validate(card));
    }

    [Fact]
    public void No_mention_token_is_ever_left_in_the_card()
    {
        var card = AdaptiveCardRenderer.Render(TeamPost with { Blocks = [.. TeamPost.Blocks, new TextBlock(Mention.Literal("A customer wrote {@0} and {@@ here"))] });

        var texts = TextBlocks(card).Select(block => block["text"]!.GetValue<string>()).ToList();
        Assert.Contains("A customer wrote {@0} and {@@ here", texts);
        Assert.Contains("You were patient and kind. {@0} stays as written.", texts);   // a quote is never read for mentions
        Assert.DoesNotContain(texts.Where(t => !t.Contains("customer wrote", StringComparison.Ordinal) && !t.Contains("stays as written", StringComparison.Ordinal)),
            t => t.Contains("{@", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cut_never_splits_a_mention_and_only_mentions_left_in_the_card_have_an_entity()
    {
        var longText = string.Concat(Enumerable.Repeat("Thank you for everything you did. ", 3_000));
        var message = new ChatMessage("Huge", [new TextBlock($"{Mention.Of(0)} {longText} {Mention.Of(1)}")])
        {
            People = [Ana, new ChatPerson("Boris Ivanov", new Dictionary<string, string> { ["teams"] = "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff" })],
        };

        var card = AdaptiveCardRenderer.Render(message);

        var text = card["body"]![0]!["text"]!.GetValue<string>();
        Assert.StartsWith("<at>Ana Petrova</at> Thank you", text, StringComparison.Ordinal);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Boris", text, StringComparison.Ordinal);
        Assert.Equal(["<at>Ana Petrova</at>"], card["msteams"]!["entities"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
    }

    [Fact]
    public void The_teams_card_check_accepts_the_teams_sdk_example_of_mentions_and_catches_a_broken_entity()
    {
        var example = SpecFiles.Load("examples", "teams", "teams-net", "AdaptiveCardActivity.json")["attachments"]![0]!["content"]!;
        Assert.Empty(TeamsCard.Validate(example));
        Assert.NotEmpty(Schema.Validate(example));   // the Adaptive Cards schema alone knows no msteams

        var card = AdaptiveCardRenderer.Render(TeamPost);
        card["msteams"]!["entities"]![0]!["mentioned"]!["aadObjectId"] = AnaAad;
        Assert.NotEmpty(TeamsCard.Validate(card));
    }

    [Fact]
    public void A_person_picker_becomes_the_teams_people_picker_followed_by_its_action()
    {
        var card = AdaptiveCardRenderer.Render(new ChatMessage("Kudos",
            [new TextBlock("Thanks!"), new PersonPickerBlock("Did a colleague help?", "Choose a colleague", new ChatButton("Pass it on", "kudos.pass", "42", ButtonStyle.Primary))]));

        // Data.Query is an Adaptive Cards 1.6 element (Teams' people picker): the card says 1.6 and is checked as one.
        Assert.Equal("1.6", card["version"]!.GetValue<string>());
        Assert.Empty(TeamsCardSchema.ValidateDeclared(card));
        var picker = card["body"]![1]!;
        Assert.Equal("Input.ChoiceSet", picker["type"]!.GetValue<string>());
        Assert.Equal(AdaptiveCardRenderer.PickedPersonKey, picker["id"]!.GetValue<string>());
        Assert.Equal("graph.microsoft.com/users", picker["choices.data"]!["dataset"]!.GetValue<string>());
        Assert.Null(picker["isRequired"]);   // optional: no asterisk, and no error under it when another button is pressed
        var action = card["body"]![2]!["actions"]![0]!;
        Assert.Equal(("Action.Execute", "kudos.pass", "42", "Pass it on", "auto"),
            (action["type"]!.GetValue<string>(), action["verb"]!.GetValue<string>(), action["data"]!["payload"]!.GetValue<string>(), action["title"]!.GetValue<string>(),
             action["associatedInputs"]!.GetValue<string>()));
    }

    [Fact]
    public void Buttons_other_than_a_pickers_own_do_not_send_or_check_the_picker()
    {
        var card = AdaptiveCardRenderer.Render(new ChatMessage("Kudos",
        [
            new PersonPickerBlock("Did a colleague help?", "Choose a colleague", new ChatButton("Pass it on", "kudos.pass", "42")),
            new ButtonsBlock([new ChatButton("Share with the team", "kudos.share", "42")]),
        ]));

        var share = card["body"]![2]!["actions"]![0]!;
        Assert.Equal("kudos.share", share["verb"]!.GetValue<string>());
        Assert.Equal("none", share["associatedInputs"]!.GetValue<string>());
    }

    [Fact]
    public void A_card_without_a_picker_says_1_5_and_the_check_by_declared_version_refuses_a_picker_in_a_1_5_card()
    {
        var card = AdaptiveCardRenderer.Render(Kudos);
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Empty(TeamsCardSchema.ValidateDeclared(card));

        var picker = AdaptiveCardRenderer.Render(new ChatMessage("Kudos",
            [new PersonPickerBlock("Did a colleague help?", "Choose a colleague", new ChatButton("Pass it on", "kudos.pass", "42"))]));
        picker["version"] = "1.5";
        Assert.NotEmpty(TeamsCardSchema.ValidateDeclared(picker));
    }

    [Fact]
    public void The_fallback_text_is_a_short_preview_of_the_summary()
    {
        var words = string.Concat(Enumerable.Repeat("Спасибо огромное за помощь! ", 400));

        var card = AdaptiveCardRenderer.Render(new ChatMessage(words, [new QuoteBlock(words, null)]));

        var fallback = card["fallbackText"]!.GetValue<string>();
        Assert.True(fallback.Length <= AdaptiveCardRenderer.PreviewLength, $"{fallback.Length} characters");
        Assert.StartsWith("Спасибо огромное", fallback, StringComparison.Ordinal);
        Assert.EndsWith("…", fallback, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_check_does_catch_a_broken_card()
    {
        var card = AdaptiveCardRenderer.Render(Nudge);
        card["body"]![0]!["colour"] = "purple";

        Assert.NotEmpty(Schema.Validate(card));
    }

    [Fact]
    public void Buttons_become_action_execute_with_the_action_id_as_verb_and_the_payload_as_data()
    {
        var card = AdaptiveCardRenderer.Render(Nudge);

        var actions = card["body"]![2]!["actions"]!.AsArray();
        Assert.All(actions, action => Assert.Equal("Action.Execute", action!["type"]!.GetValue<string>()));
        Assert.Equal("nudge.snooze", actions[1]!["verb"]!.GetValue<string>());
        Assert.Equal("""{"id":12,"days":1}""", actions[1]!["data"]!["payload"]!.GetValue<string>());
    }

    [Fact]
    public void Every_text_block_wraps_and_the_summary_is_the_fallback_text()
    {
        var card = AdaptiveCardRenderer.Render(Kudos);

        Assert.Equal("Kudos for Dana from a customer", card["fallbackText"]!.GetValue<string>());
        Assert.All(TextBlocks(card), block => Assert.True(block["wrap"]!.GetValue<bool>()));
    }

    [Fact]
    public void A_huge_message_is_cut_to_fit_teams_with_an_ellipsis()
    {
        var longText = string.Concat(Enumerable.Repeat("Thank you for everything you did. ", 3_000));
        var message = new ChatMessage("Huge", [new HeadingBlock("Big thanks"), new TextBlock(longText), new QuoteBlock(longText, "A fan")]);

        var json = AdaptiveCardRenderer.Render(message).ToJsonString(AdaptiveCardRenderer.Wire);

        Assert.True(Encoding.UTF8.GetByteCount(json) <= 28 * 1024, $"{Encoding.UTF8.GetByteCount(json)} bytes");
        var card = JsonNode.Parse(json)!;
        Assert.EndsWith("…", card["body"]![1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Big thanks", card["body"]![0]!["text"]!.GetValue<string>());
        Assert.Empty(Schema.Validate(card));
    }

    [Fact]
    public void A_message_of_very_many_blocks_is_cut_to_fit_as_well()
    {
        var blocks = Enumerable.Range(0, 5_000).Select(i => (MessageBlock)new FactsBlock([new Fact($"Item {i}", "a value that takes some room")])).ToList();

        var json = AdaptiveCardRenderer.Render(new ChatMessage("Many", blocks)).ToJsonString(AdaptiveCardRenderer.Wire);

        Assert.True(Encoding.UTF8.GetByteCount(json) <= 28 * 1024, $"{Encoding.UTF8.GetByteCount(json)} bytes");
    }

    private static IEnumerable<JsonNode> TextBlocks(JsonNode node) => node switch
    {
        JsonObject obj when obj["type"]?.GetValue<string>() == "TextBlock" => [obj],
        JsonObject obj => obj.SelectMany(pair => pair.Value is null ? [] : TextBlocks(pair.Value)),
        JsonArray array => array.SelectMany(item => item is null ? [] : TextBlocks(item)),
        _ => [],
    };
}

/// <summary>Golden files beside this test; set KUDOSRELAY_UPDATE_GOLDEN=1 to rewrite them after an intended change.</summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);
        actual = actual.ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("KUDOSRELAY_UPDATE_GOLDEN") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, actual);
            if (Environment.GetEnvironmentVariable("KUDOSRELAY_UPDATE_GOLDEN") != "1")
                Assert.Fail($"{name} did not exist and was written; check it and run again");
        }
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
