using System.Diagnostics;

namespace KudosRelay.Benchmarks;

/// <summary>
/// The <c>kudosrelay</c> executable as an operator deploys it: <c>dotnet publish src/KudosRelay.Host -c Release</c>, which
/// publishes it with its own runtime, precompiled with the framework into one image (set in its project), so a command does
/// not spend its first second compiling itself. Published once per benchmark run into <c>bench/.published/host</c>; the
/// first publish takes about two minutes on the 2-core machine, an up-to-date one a few seconds.
/// </summary>
internal static class PublishedHost
{
    public static async Task<string> ExecutableAsync()
    {
        var root = RepositoryRoot();
        var output = Path.Combine(root, "bench", ".published", "host");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "publish", Path.Combine(root, "src", "KudosRelay.Host"), "-c", "Release", "-o", output, "-v", "q", "-nologo" },
        };
        Console.WriteLine($"publishing the executable to {output} …");
        using var publish = Process.Start(start)!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed:\n{await log}\n{await errors}");
        return Path.Combine(output, OperatingSystem.IsWindows() ? "kudosrelay.exe" : "kudosrelay");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "KudosRelay.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"no KudosRelay.sln above {AppContext.BaseDirectory}: run the benchmarks from the repository");
    }
}
