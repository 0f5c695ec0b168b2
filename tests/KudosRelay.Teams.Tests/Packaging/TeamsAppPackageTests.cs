using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using KudosRelay.Teams.Packaging;
using Xunit;
using KudosRelay.Testing;

namespace KudosRelay.Teams.Tests.Packaging;

public sealed class TeamsAppPackageTests
{
    private static readonly Guid BotId = Guid.Parse("6f0e2a3b-1c4d-4e5f-8a9b-0c1d2e3f4a5b");

    [Fact]
    public void The_manifest_with_ids_filled_in_validates_against_the_v1_29_schema()
    {
        var manifest = JsonNode.Parse(TeamsAppPackage.Manifest(BotId, domain: "kudos.example.com"))!;
        var schema = SpecSchema.Load("teams/manifest/MicrosoftTeams.schema.v1.29.json");

        Assert.Empty(schema.Validate(manifest));
        Assert.Equal(BotId.ToString(), manifest["id"]!.GetValue<string>());
        Assert.Equal(BotId.ToString(), manifest["bots"]![0]!["botId"]!.GetValue<string>());
        Assert.Equal(["personal", "team", "groupChat"], manifest["bots"]![0]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("kudos.example.com", manifest["validDomains"]![0]!.GetValue<string>());
    }

    [Fact]
    public void The_template_itself_fails_the_schema_until_ids_are_filled_in()
    {
        var template = JsonNode.Parse(TeamsAppPackage.Template("manifest.json"))!;
        var schema = SpecSchema.Load("teams/manifest/MicrosoftTeams.schema.v1.29.json");

        Assert.Contains(schema.Validate(template), error => error.StartsWith("/id:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_schema_check_asserts_formats_too()
    {
        var manifest = JsonNode.Parse(TeamsAppPackage.Manifest(BotId, domain: "kudos.example.com"))!;
        manifest["$schema"] = "not a url";

        var errors = SpecSchema.Load("teams/manifest/MicrosoftTeams.schema.v1.29.json").Validate(manifest);

        Assert.Contains(errors, error => error.StartsWith("/$schema: format", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bg.json")]
    [InlineData("ru.json")]
    [InlineData("ro.json")]
    public void Each_translation_of_the_manifest_is_valid_and_translates_every_command(string file)
    {
        var manifest = JsonNode.Parse(TeamsAppPackage.Manifest(BotId, domain: "kudos.example.com"))!;
        var translation = JsonNode.Parse(TeamsAppPackage.Template(file))!.AsObject();

        Assert.Empty(SpecSchema.Load("teams/manifest/MicrosoftTeams.Localization.schema.v1.29.json").Validate(translation));
        Assert.Contains(manifest["localizationInfo"]!["additionalLanguages"]!.AsArray(), language => (string?)language!["file"] == file);
        var commands = manifest["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray();
        for (var i = 0; i < commands.Count; i++)
            Assert.True(translation.ContainsKey($"bots[0].commandLists[0].commands[{i}].description"), $"{file} does not describe the command '{commands[i]!["title"]}'");
        foreach (var key in new[] { "name.full", "description.short", "description.full" })
            Assert.NotEqual((string?)Path(manifest, key), (string?)translation[key]);
    }

    [Theory]
    [InlineData("color.png", 192, true)]
    [InlineData("outline.png", 32, false)]
    public void Icons_have_the_sizes_teams_requires(string name, int size, bool opaque)
    {
        var png = TeamsAppPackage.Template(name);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(6, png[25]); // RGBA
        var pixels = Pixels(png, size);
        if (opaque)
            Assert.All(pixels, pixel => Assert.Equal(255, pixel.A));
        else
        {
            // The outline icon: white only, on a transparent background.
            Assert.All(pixels.Where(p => p.A > 0), pixel => Assert.Equal((255, 255, 255), (pixel.R, pixel.G, pixel.B)));
            Assert.Contains(pixels, pixel => pixel.A == 0);
        }
    }

    [Fact]
    public void The_package_holds_exactly_the_manifest_its_translations_and_two_icons()
    {
        using var stream = new MemoryStream();

        TeamsAppPackage.Write(stream, BotId, teamsAppId: Guid.Parse("11111111-2222-4333-8444-555555555555"));

        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        Assert.Equal(["bg.json", "color.png", "manifest.json", "outline.png", "ro.json", "ru.json"], zip.Entries.Select(e => e.FullName).Order());
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var manifest = JsonNode.Parse(reader.ReadToEnd())!;
        Assert.Equal("11111111-2222-4333-8444-555555555555", manifest["id"]!.GetValue<string>());
        Assert.Equal(BotId.ToString(), manifest["bots"]![0]!["botId"]!.GetValue<string>());
        Assert.Empty(manifest["validDomains"]!.AsArray());
    }

    /// <summary>Decodes the 8-bit RGBA, non-interlaced PNGs we draw (filter type 0 on every row).</summary>
    private static List<(byte R, byte G, byte B, byte A)> Pixels(byte[] png, int size)
    {
        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            if (png.AsSpan(offset + 4, 4).SequenceEqual("IDAT"u8))
                idat.Write(png, offset + 8, length);
            offset += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var pixels = new List<(byte, byte, byte, byte)>();
        for (var y = 0; y < size; y++)
        {
            var row = y * (1 + size * 4);
            Assert.Equal(0, raw[row]);
            for (var x = 0; x < size; x++)
                pixels.Add((raw[row + 1 + x * 4], raw[row + 2 + x * 4], raw[row + 3 + x * 4], raw[row + 4 + x * 4]));
        }
        return pixels;
    }

    private static JsonNode? Path(JsonNode manifest, string dotted) =>
        dotted.Split('.').Aggregate((JsonNode?)manifest, (node, part) => node?[part]);
}
