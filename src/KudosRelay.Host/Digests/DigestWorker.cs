using KudosRelay.Core.Digests;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Digests;

/// <summary>Runs <see cref="DigestScheduler.RunDueAsync"/> at start and then every <c>Digests:SchedulerInterval</c>.</summary>
internal sealed partial class DigestWorker(
    DigestScheduler scheduler,
    IOptions<DigestOptions> options,
    TimeProvider clock,
    ILogger<DigestWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SchedulerEnabled)
            return;
        using var timer = new PeriodicTimer(options.Value.SchedulerInterval, clock);
        try
        {
            do
            {
                try
                {
                    await scheduler.RunDueAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A database outage must not stop the host: the next tick tries again.
                    LogPassFailed(exception.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest scheduler pass failed ({ErrorType}); retrying on the next tick")]
    private partial void LogPassFailed(string errorType);
}
