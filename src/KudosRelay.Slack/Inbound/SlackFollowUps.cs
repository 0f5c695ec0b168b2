using System.Threading.Channels;
using KudosRelay.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// Answers through a <c>response_url</c> (buttons), which Slack must not wait for. Bounded and in memory:
/// a <c>response_url</c> expires after 30 minutes and, when an answer is lost, Slack shows the person an
/// error so they press again; so it is not worth a durable row. Answers to events, and every message
/// for other people, go through the outbox instead.
/// </summary>
internal sealed partial class SlackFollowUps(ILogger<SlackFollowUps> logger)
{
    /// <summary>Enough for a burst of a few seconds of traffic; beyond that, new work is dropped and logged.</summary>
    internal const int Capacity = 10_000;

    private readonly Channel<FollowUp> queue = Channel.CreateBounded<FollowUp>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = false,
    });

    private int queued;

    internal ChannelReader<FollowUp> Reader => queue.Reader;

    /// <summary>How many follow-ups were ever queued: a request that queued none can send nothing later.</summary>
    internal int Queued => Volatile.Read(ref queued);

    public void Enqueue(string kind, Func<IServiceProvider, CancellationToken, Task> work)
    {
        if (queue.Writer.TryWrite(new FollowUp(kind, work)))
            Interlocked.Increment(ref queued);
        else
            LogDropped(kind);
    }

    internal sealed record FollowUp(string Kind, Func<IServiceProvider, CancellationToken, Task> Work);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack follow-up queue is full; dropped a {Kind}")]
    private partial void LogDropped(string kind);
}

/// <summary>Runs queued follow-ups a few at a time, each once: a post to a <c>response_url</c> is not safe to repeat, so the HTTP pipeline does not retry it either.</summary>
internal sealed partial class SlackFollowUpWorker(SlackFollowUps followUps, IServiceProvider services, ILogger<SlackFollowUpWorker> logger) : BackgroundService
{
    private const int Workers = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => RunAsync(stoppingToken)));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var followUp in followUps.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = services.CreateAsyncScope();
                    await followUp.Work(scope.ServiceProvider, stoppingToken);
                }
                catch (SlackApiException exception)
                {
                    LogFailed(followUp.Kind, exception.Method, exception.Error);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogCrashed(followUp.Kind, exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack follow-up {Kind} failed: {Method} answered {Error}")]
    private partial void LogFailed(string kind, string method, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack follow-up {Kind} failed with {ExceptionType}")]
    private partial void LogCrashed(string kind, string exceptionType);
}
