using System.IO.Compression;
using System.Text.Json.Nodes;
using Xunit;

namespace KudosRelay.Host.Tests.Teams;

public sealed class TeamsPackageCommandTests
{
    [Fact]
    public async Task Teams_package_writes_a_zip_of_the_manifest_and_two_icons_with_the_app_id()
    {
        var folder = Directory.CreateTempSubdirectory("kudosrelay-teams-package-");
        try
        {
            var zipPath = Path.Combine(folder.FullName, "app.zip");
            await using var run = HostProcess.Start("teams", "package", "--app-id", "6f0e2a3b-1c4d-4e5f-8a9b-0c1d2e3f4a5b", "--out", zipPath, "--domain", "kudos.example.com");

            Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));

            using var zip = ZipFile.OpenRead(zipPath);
            Assert.Equal(["bg.json", "color.png", "manifest.json", "outline.png", "ro.json", "ru.json"], zip.Entries.Select(e => e.FullName).Order());
            using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
            var manifest = JsonNode.Parse(await reader.ReadToEndAsync())!;
            Assert.Equal("6f0e2a3b-1c4d-4e5f-8a9b-0c1d2e3f4a5b", manifest["bots"]![0]!["botId"]!.GetValue<string>());
            Assert.Equal("kudos.example.com", manifest["validDomains"]![0]!.GetValue<string>());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Teams_package_without_an_app_id_fails()
    {
        await using var run = HostProcess.Start("teams", "package");

        Assert.NotEqual(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("--app-id", run.ErrorOutput, StringComparison.Ordinal);
    }
}
