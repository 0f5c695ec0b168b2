using KudosRelay.Core.Language;
using KudosRelay.Core.Tone;
using Xunit;

namespace KudosRelay.Core.Tests.Tone;

/// <summary>Every text the bot ships, in every feature and language, passes the tone guard (labels only as labels).</summary>
public sealed class ShippedTemplatesTests
{
    [Fact]
    public void Every_shipped_template_in_every_language_passes_the_tone_guard()
    {
        var catalogue = MessageCatalogue.Shipped;

        var problems = TemplateCheck.Problems(catalogue, ToneGuard.Shipped);

        Assert.Equal(["en", "bg", "ro", "ru"], catalogue.Languages);
        Assert.True(catalogue.Features.Count >= 3);
        Assert.Empty(problems.Select(problem => problem.ToString()));
    }

    [Theory]
    [InlineData("dm.pass-it-on.button", true)]
    [InlineData("nudge.snooze.button", true)]
    [InlineData("dm.pick-colleague.placeholder", true)]
    [InlineData("settings.language.label", true)]
    [InlineData("dm.pass-it-on", false)]
    [InlineData("button-inactive", false)]
    [InlineData("button", true)]
    public void A_label_is_a_key_whose_last_segment_is_button_label_or_placeholder(string key, bool isLabel)
    {
        Assert.Equal(isLabel, TemplateCheck.IsLabel(key));
    }

    [Fact]
    public void A_label_may_be_an_imperative_but_not_shouting_or_blame()
    {
        using var folder = new TemplateFolder();
        folder.Write("Kudos/en.yaml", """
            snooze.button: "Snooze"
            resolve.button: "Resolve this"
            shout.button: "FIX THIS"
            blame.button: "Your fault"
            text: "Resolve this."
            """);

        var problems = TemplateCheck.Problems(MessageCatalogue.Shipped.WithFolder(folder.Path), ToneGuard.Shipped);

        Assert.Equal(
            ["blame.button blame", "shout.button shouting", "shout.button shouting", "text bare-imperative"],
            problems.Select(problem => $"{problem.Key} {problem.Flag.Rule}"));
        Assert.All(problems, problem => Assert.Equal(Path.Combine(folder.Path, "Kudos", "en.yaml"), problem.File));
    }

    [Fact]
    public void A_problem_names_the_file_the_key_the_language_and_the_phrase()
    {
        using var folder = new TemplateFolder();
        folder.Write("Escalations/en.yaml", "nudge.first: \"Fix this NOW!\"\n");
        folder.Write("Escalations/ru.yaml", "nudge.first: \"Сделайте это срочно.\"\n");

        var problems = TemplateCheck.Problems(MessageCatalogue.Shipped.WithFolder(folder.Path), ToneGuard.Shipped).Select(problem => problem.ToString()).ToList();

        Assert.Contains($"{Path.Combine(folder.Path, "Escalations", "en.yaml")}: nudge.first (en): “Fix this NOW!” is bare-imperative; try “Could you fix this when you have a moment?”", problems);
        Assert.Contains($"{Path.Combine(folder.Path, "Escalations", "en.yaml")}: nudge.first (en): “NOW” is shouting; try “now”", problems);
        Assert.Contains($"{Path.Combine(folder.Path, "Escalations", "ru.yaml")}: nudge.first (ru): “срочно” is pressure; try “когда будет возможность”", problems);
    }
}
