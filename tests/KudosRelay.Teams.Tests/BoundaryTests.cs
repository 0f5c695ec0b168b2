using System.Reflection;
using Xunit;

namespace KudosRelay.Teams.Tests;

public sealed class BoundaryTests
{
    [Fact]
    public void The_teams_adapter_references_only_core_of_ours()
    {
        var adapter = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "KudosRelay.Teams.dll"));

        var ours = adapter.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("KudosRelay.", StringComparison.Ordinal));

        Assert.All(ours, name => Assert.Equal("KudosRelay.Core", name));
    }
}
