using KudosRelay.Core.Language;
using KudosRelay.Core.Tests.Tone;
using Xunit;

namespace KudosRelay.Core.Tests.Language;

/// <summary>An operator's folder of <c>{Feature}/{language}.yaml</c> files laid over the shipped catalogue (<c>Messages:Folder</c>).</summary>
public sealed class MessageCatalogueFolderTests
{
    [Fact]
    public void A_key_in_the_folder_replaces_the_shipped_text_and_the_rest_stay()
    {
        using var folder = new TemplateFolder();
        folder.Write("Kudos/en.yaml", "dm.shared: \"Shared with your team — thank you!\"\n");

        var catalogue = MessageCatalogue.Shipped.WithFolder(folder.Path);

        Assert.Equal("Shared with your team — thank you!", catalogue.For("Kudos", "en")["dm.shared"]);
        Assert.Equal(MessageCatalogue.Shipped.For("Kudos", "en")["dm.pass-it-on.button"], catalogue.For("Kudos", "en")["dm.pass-it-on.button"]);
        Assert.Equal(Path.Combine(folder.Path, "Kudos", "en.yaml"), catalogue.Entries("Kudos", "en")!["dm.shared"].Source);
        Assert.Null(catalogue.Entries("Kudos", "en")!["dm.share.button"].Source);
        Assert.Equal("Shared with the team.", MessageCatalogue.Shipped.For("Kudos", "en")["dm.shared"]);
        // The start-up check reads the operator's files only; the shipped ones are checked by their own test.
        Assert.Equal([("Kudos", "en")], catalogue.OperatorFiles);
        Assert.Empty(MessageCatalogue.Shipped.OperatorFiles);
    }

    [Fact]
    public void A_new_language_is_a_folder_of_files()
    {
        using var folder = new TemplateFolder();
        folder.Write("Language/de.yaml", "plural-rule: \"one-other\"\n");
        folder.Write("Kudos/de.yaml", "dm.shared: \"Mit dem Team geteilt.\"\n");

        var catalogue = MessageCatalogue.Shipped.WithFolder(folder.Path);

        Assert.Contains("de", catalogue.Languages);
        Assert.Equal("de", catalogue.LanguageOf("de-AT"));
        Assert.Equal("Mit dem Team geteilt.", catalogue.For("Kudos", "de-AT")["dm.shared"]);
        Assert.Equal("Share with the team", catalogue.For("Kudos", "de")["dm.share.button"]);
        Assert.DoesNotContain("de", MessageCatalogue.Shipped.Languages);
    }

    [Theory]
    [InlineData("Kudos/en.yaml", "dm.shared: [unclosed", "Kudos")]
    [InlineData("Kudos/english.yaml", "dm.shared: \"x\"", "english.yaml")]
    [InlineData("Kudos/en.yaml", "- a list", "Kudos")]
    public void A_file_that_is_not_a_catalogue_is_refused_naming_it(string path, string text, string named)
    {
        using var folder = new TemplateFolder();
        folder.Write(path, text);

        var error = Assert.Throws<FormatException>(() => MessageCatalogue.Shipped.WithFolder(folder.Path));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
