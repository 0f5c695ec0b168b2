using KudosRelay.Core.Storage;
using Xunit;

namespace KudosRelay.Core.Tests;

public sealed class ArchitectureTests
{
    private static readonly System.Reflection.Assembly Core = typeof(Db).Assembly;

    [Fact]
    public void Core_references_no_other_project_and_nothing_of_aspnet_core()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("KudosRelay.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void No_core_type_is_named_after_a_chat_platform()
    {
        var offenders = Core.GetTypes()
            .Where(t => t.Name.Contains("Slack", StringComparison.OrdinalIgnoreCase) || t.Name.Contains("Teams", StringComparison.Ordinal))
            .Select(t => t.FullName);

        Assert.Empty(offenders);
    }
}
