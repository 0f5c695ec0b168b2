using KudosRelay.Core.Outbox;

namespace KudosRelay.Host.Outbox;

/// <summary>Runs the outbox's group-commit writer for the life of the host.</summary>
internal sealed class OutboxGroupCommitService(OutboxGroupCommit writer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => writer.RunAsync(stoppingToken);
}
