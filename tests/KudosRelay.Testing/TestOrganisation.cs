using KudosRelay.Core.People;

namespace KudosRelay.Testing;

/// <summary>
/// A migrated test database holding the people, teams and departments an org file describes; chat ids are checked
/// by <see cref="StandInIdFormats"/> unless other formats are given.
/// </summary>
public static class TestOrganisation
{
    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind, string orgFile, TimeProvider? clock = null, IEnumerable<IChatIdFormat>? idFormats = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var importer = new ImportOrganisationHandler(database.Db, clock ?? TimeProvider.System, new OrgFileReader(idFormats ?? StandInIdFormats.All));
        var imported = await importer.ImportAsync(orgFile, CancellationToken.None);
        if (imported.Succeeded)
            return database;
        await database.DisposeAsync();
        throw new InvalidOperationException("the test organisation does not import: " + string.Join("; ", imported.Errors));
    }
}
