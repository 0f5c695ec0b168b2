using KudosRelay.Data.Sqlite;
using Xunit;

namespace KudosRelay.Data.Tests;

public sealed class SqliteFilesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("kudosrelay-files-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Writable_database_files_have_no_problems()
    {
        var database = Path.Combine(folder, "kudosrelay.db");
        File.WriteAllBytes(database, []);
        File.WriteAllBytes(database + "-shm", new byte[32768]);

        Assert.Empty(SqliteFiles.Problems($"Data Source={database}"));
    }

    [Fact]
    public void A_wal_index_this_process_cannot_open_for_writing_is_named_and_nothing_is_changed()
    {
        // Tests may run as root, whom file modes do not stop; a folder in the -shm's place cannot be opened for writing by anyone.
        var database = Path.Combine(folder, "kudosrelay.db");
        File.WriteAllBytes(database, [1, 2, 3]);
        Directory.CreateDirectory(database + "-shm");
        File.WriteAllBytes(database + "-wal", []);

        var problem = Assert.Single(SqliteFiles.Problems($"Data Source={database}"));

        Assert.Equal($"{database}-shm is not writable by this process", problem);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(database));
    }

    [Fact]
    public void An_in_memory_database_has_no_files_to_check() =>
        Assert.Empty(SqliteFiles.Problems("Data Source=:memory:"));
}
