using System.Reflection;
using System.Xml.Linq;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using KudosRelay.Slack;
using KudosRelay.Teams;
using Xunit;

namespace KudosRelay.Host.Tests;

/// <summary>
/// The boxes of the architecture and which may use which, checked twice: in the project files (what the build is
/// allowed to see) and in the compiled assemblies (what the code really uses). This project references the host,
/// so every assembly of ours is here to inspect.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Each project under src/, its assembly, and the projects of ours it may reference.</summary>
    private static readonly Dictionary<string, (Assembly Assembly, string[] MayReference)> Projects = new(StringComparer.Ordinal)
    {
        ["KudosRelay.Core"] = (typeof(Db).Assembly, []),
        ["KudosRelay.Data"] = (typeof(Migrator).Assembly, ["KudosRelay.Core"]),
        ["KudosRelay.Slack"] = (typeof(SlackIdFormat).Assembly, ["KudosRelay.Core"]),
        ["KudosRelay.Teams"] = (typeof(TeamsIdFormat).Assembly, ["KudosRelay.Core"]),
        ["KudosRelay.Host"] = (typeof(KudosRelayServer).Assembly, ["KudosRelay.Core", "KudosRelay.Data", "KudosRelay.Slack", "KudosRelay.Teams"]),
    };

    public static TheoryData<string> ProjectNames => [.. Projects.Keys];

    [Fact]
    public void Every_project_under_src_has_its_references_checked_here()
    {
        var found = Directory.GetDirectories(Path.Combine(RepositoryRoot, "src"))
            .Where(folder => Directory.EnumerateFiles(folder, "*.csproj").Any())
            .Select(Path.GetFileName);

        Assert.Equal(Projects.Keys.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ProjectNames))]
    public void A_project_file_references_only_the_projects_of_ours_it_may(string project)
    {
        var referenced = ProjectFile(project).Descendants("ProjectReference")
            .Select(reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')));

        Assert.All(referenced, name => Assert.Contains(name, Projects[project].MayReference));
    }

    [Theory]
    [MemberData(nameof(ProjectNames))]
    public void A_compiled_assembly_references_only_the_assemblies_of_ours_it_may(string project)
    {
        var ours = Projects.ToDictionary(entry => entry.Value.Assembly.GetName().Name!, entry => entry.Key, StringComparer.Ordinal);

        var referenced = Projects[project].Assembly.GetReferencedAssemblies()
            .Select(reference => ours.GetValueOrDefault(reference.Name!))
            .OfType<string>();

        Assert.All(referenced, name => Assert.Contains(name, Projects[project].MayReference));
    }

    [Fact]
    public void Core_uses_nothing_of_aspnet_core()
    {
        var file = ProjectFile("KudosRelay.Core");
        var core = Projects["KudosRelay.Core"].Assembly;

        Assert.Equal("Microsoft.NET.Sdk", file.Root!.Attribute("Sdk")!.Value);
        Assert.DoesNotContain(file.Descendants().Where(e => e.Name.LocalName is "FrameworkReference" or "PackageReference"),
            reference => reference.Attribute("Include")!.Value.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(core.GetReferencedAssemblies(), reference => reference.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void No_core_type_is_named_after_a_chat_platform()
    {
        var offenders = Projects["KudosRelay.Core"].Assembly.GetTypes()
            .Where(t => t.Name.Contains("Slack", StringComparison.OrdinalIgnoreCase) || t.Name.Contains("Teams", StringComparison.Ordinal))
            .Select(t => t.FullName);

        Assert.Empty(offenders);
    }

    private static XDocument ProjectFile(string project) =>
        XDocument.Load(Path.Combine(RepositoryRoot, "src", project, project + ".csproj"));

    /// <summary>The folder holding KudosRelay.sln, found upwards from the test binaries (which are built inside the repository).</summary>
    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "KudosRelay.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"KudosRelay.sln was not found above {AppContext.BaseDirectory}.");
    }
}
