using System.Data.Common;
using KudosRelay.Slack.Workspaces;
using KudosRelay.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Slack;

/// <summary>
/// Calls <c>auth.test</c> once at start: logs who the bot is, or why Slack refuses its token
/// (<c>invalid_auth</c>, <c>token_revoked</c>), which <c>GET /slack/readyz</c> then reports. Runs in the
/// background so a slow Slack does not hold up start-up; transient failures are tried again.
/// </summary>
internal sealed partial class SlackStartupCheck(SlackWebApiClient slack, SlackWorkspaces workspaces, TimeProvider clock, ILogger<SlackStartupCheck> logger) : BackgroundService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadRevocationsAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var bot = await slack.AuthTestAsync(stoppingToken);
                await workspaces.TokenAcceptedAsync(bot, stoppingToken);
                LogIdentity(bot.UserId, bot.TeamId, bot.Team);
                return;
            }
            catch (SlackApiException exception) when (!exception.IsTransient)
            {
                workspaces.Problem = $"Slack refuses Slack:BotToken: auth.test answered {exception.Error}";
                LogRefused(exception.Error);
                return;
            }
            catch (Exception exception) when (exception is SlackApiException or HttpRequestException or TaskCanceledException or DbException && !stoppingToken.IsCancellationRequested)
            {
                LogUnreachable(exception.GetType().Name);
            }

            try
            {
                await Task.Delay(RetryEvery, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Revocations from before this start apply from the first request on.</summary>
    private async Task LoadRevocationsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await workspaces.RefreshAsync(stoppingToken);
        }
        catch (DbException exception)
        {
            // The sender loads them again before its first delivery; until then nothing is sent anyway.
            LogRevocationsUnreadable(exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack workspace revocations could not be read at start ({ExceptionType})")]
    private partial void LogRevocationsUnreadable(string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack bot user {UserId} in workspace {TeamId} ({TeamName})")]
    private partial void LogIdentity(string userId, string teamId, string teamName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack refuses the bot token (auth.test: {Error}); check Slack:BotToken. Nothing can be sent to Slack.")]
    private partial void LogRefused(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack auth.test failed ({ExceptionType}); trying again in 30 s")]
    private partial void LogUnreachable(string exceptionType);
}
