using KudosRelay.Core.Outbox;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Outbox;

/// <summary>
/// Runs <see cref="OutboxDispatcher.DispatchDueAsync"/> until the queue is drained, then waits for
/// the next tick. On shutdown the sends in flight are cancelled (a platform that is down, or a rate limit,
/// does not hold the stop up), their messages go back to the queue, and leftover leases are released.
/// </summary>
internal sealed partial class OutboxWorker(
    OutboxDispatcher dispatcher,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
            return;
        LogStarted(dispatcher.Owner);
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
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
        finally
        {
            await ReleaseAsync();
        }
    }

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested
                && await dispatcher.DispatchAsync(stoppingToken, stoppingToken) is var pass && pass.Leased + pass.Paced >= options.Value.BatchSize)
            {
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A database outage must not stop the host: the next tick tries again.
            LogPassFailed(exception.GetType().Name, exception.Message);
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            var released = await dispatcher.ReleaseLeasesAsync(CancellationToken.None);
            LogStopped(dispatcher.Owner, released);
        }
        catch (Exception exception)
        {
            LogPassFailed(exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher {Owner} started")]
    private partial void LogStarted(string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher {Owner} stopped; {Released} lease(s) released")]
    private partial void LogStopped(string owner, int released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox pass failed ({ErrorType}: {Error}); retrying on the next tick")]
    private partial void LogPassFailed(string errorType, string error);
}
