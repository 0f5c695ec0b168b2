using KudosRelay.Slack.Workspaces;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KudosRelay.Slack;

/// <summary>
/// Part of <c>/readyz</c>: unhealthy while Slack refuses the bot token (<c>invalid_auth</c>,
/// <c>token_revoked</c>); degraded, but ready, until <c>auth.test</c> has answered.
/// </summary>
internal sealed class SlackAuthHealthCheck(SlackWorkspaces workspaces) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(workspaces switch
        {
            { Problem: { } problem } => HealthCheckResult.Unhealthy($"Slack refuses the bot token: {problem}"),
            { Bot: not null } => HealthCheckResult.Healthy(),
            _ => HealthCheckResult.Degraded("Slack auth.test has not answered yet"),
        });
}
