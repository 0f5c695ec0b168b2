using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace KudosRelay.Data.Sqlite;

/// <summary>
/// Whether this process can write the SQLite database and its WAL files. SQLite maps the WAL index (<c>-shm</c>)
/// into memory: a read-only <c>-shm</c> only makes writes fail (SQLITE_READONLY), but a <c>-shm</c> that shrinks
/// while mapped (truncated or replaced by a copy, a restore or another process) kills the process with SIGBUS,
/// which no handler can catch. So the files are checked at start and by <c>/readyz</c>, and the operator is told
/// in plain words instead of meeting the first failed write.
/// </summary>
public static class SqliteFiles
{
    /// <summary>What is not writable, naming the file (for the operator's log, not for anyone who asks).</summary>
    public static IReadOnlyList<string> Problems(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (dataSource.Length == 0 || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
            return [];
        var database = Path.GetFullPath(dataSource);
        var problems = new List<string>();
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            if (Path.Exists(file) && !CanWrite(file))
                problems.Add($"{file} is not writable by this process");
        }
        if (Path.GetDirectoryName(database) is { } directory && Directory.Exists(directory) && !CanCreateIn(directory))
            problems.Add($"{directory} does not let this process create files (SQLite creates {Path.GetFileName(database)}-wal and -shm there)");
        return problems;
    }

    /// <summary>
    /// On Unix the file is never opened: closing any descriptor of a file drops every POSIX lock this process holds on
    /// it, so a check that opened the database or its <c>-shm</c> would silently release SQLite's own locks. Another
    /// process (<c>kudosrelay feedback import</c> beside a running server) would then take the database for its own,
    /// check-point it and delete the WAL files under this one: "disk I/O error", or SIGBUS on the mapped <c>-shm</c>.
    /// Windows locks belong to the handle that took them, so there opening and closing a handle is harmless.
    /// </summary>
    private static bool CanWrite(string file)
    {
        if (!OperatingSystem.IsWindows())
            return File.Exists(file) && access(Encoding.UTF8.GetBytes(file + '\0'), WriteAccess) == 0;   // a folder is not a file SQLite can use
        try
        {
            // Opened for writing and closed unchanged: nothing is truncated or locked.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private const int WriteAccess = 2;   // W_OK in unistd.h

    /// <summary><c>access(2)</c> on a NUL-terminated UTF-8 path: may this process write it, without opening it.</summary>
    [DllImport("libc", ExactSpelling = true)]
    private static extern int access(byte[] path, int mode);

    private static bool CanCreateIn(string directory)
    {
        var probe = Path.Combine(directory, $".kudosrelay-write-check-{Environment.ProcessId}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                return true;
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
