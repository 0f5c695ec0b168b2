using System.Collections.Concurrent;
using System.Diagnostics;

namespace KudosRelay.Host.Tests;

/// <summary>The real <c>kudosrelay</c> executable as a child process, with its output captured line by line.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<string> errors = new();

    private HostProcess(Process process)
    {
        this.process = process;
    }

    public IReadOnlyCollection<string> Output => lines;

    public string ErrorOutput => string.Join('\n', errors);

    public int ExitCode => process.ExitCode;

    public static HostProcess Start(params string[] args) => StartIn(AppContext.BaseDirectory, args);

    /// <summary>Starts the executable with <paramref name="workingDirectory"/> as its current directory (where <c>./data</c> would be created).</summary>
    public static HostProcess StartIn(string workingDirectory, params string[] args)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "kudosrelay.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(executable);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host.lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host.errors.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task<bool> WaitUntilAsync(Func<HostProcess, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition(this))
        {
            if (process.HasExited || deadline.IsCancellationRequested)
                return condition(this);
            await Task.Delay(20, CancellationToken.None);
        }
        return true;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        process.WaitForExit(); // drains the asynchronous output handlers
        return process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: what an orchestrator sends for a graceful stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -TERM {process.Id} failed with exit code {kill.ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
