using KudosRelay.Core.Escalations;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Escalations;

/// <summary>
/// Runs <see cref="EscalationSweep.RunOnceAsync"/> every <c>Escalations:SweepInterval</c> on the injected clock; a pass
/// that found a full batch runs again at once. A failed pass (the database away) is logged and tried on the next tick.
/// </summary>
internal sealed partial class EscalationSweepWorker(
    EscalationSweep sweep,
    IOptions<NudgeOptions> options,
    TimeProvider clock,
    ILogger<EscalationSweepWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SweeperEnabled)
            return;
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        try
        {
            do
            {
                await DrainAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested
                && (await sweep.RunOnceAsync(stoppingToken)).Due >= EscalationSweep.PassSize)
            {
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPassFailed(exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation sweep failed ({ErrorType}: {Error}); retrying on the next tick")]
    private partial void LogPassFailed(string errorType, string error);
}
