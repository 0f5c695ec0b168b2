using KudosRelay.Core.People;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Org;

/// <summary>
/// Imports <c>Org:File</c> at start. A missing or invalid file stops start-up with every error
/// listed; a database that is not reachable yet is retried in the background.
/// </summary>
internal sealed partial class OrgFileImportService(
    ImportOrganisationHandler importer,
    IOptions<OrgOptions> options,
    TimeProvider clock,
    ILogger<OrgFileImportService> logger) : BackgroundService
{
    private string? text;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.File is not { Length: > 0 } path)
            return;
        if (!File.Exists(path))
            throw new StartupException($"Org:File '{path}' does not exist.");
        text = await File.ReadAllTextAsync(path, cancellationToken);
        if (await TryImportAsync(path, cancellationToken))
            return;
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.File!;
        var delay = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, clock, stoppingToken);
                if (await TryImportAsync(path, stoppingToken))
                    return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (StartupException exception)
            {
                LogRejected(path, exception.Message);
                return;
            }
            delay = delay < TimeSpan.FromMinutes(1) ? delay * 2 : delay;
        }
    }

    private async Task<bool> TryImportAsync(string path, CancellationToken cancellationToken)
    {
        OrgImportResult result;
        try
        {
            result = await importer.ImportAsync(text!, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogDatabaseNotReady(path, exception.GetType().Name, exception.Message);
            return false;
        }
        if (!result.Succeeded)
            throw new StartupException($"Org:File '{path}' was not imported; nothing was written:" + Environment.NewLine
                + string.Join(Environment.NewLine, result.Errors.Select(error => "  " + error)));
        LogImported(path, result.Summary!.TotalCreated, result.Summary.TotalUpdated);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported organisation file {Path}: {Created} created, {Updated} updated")]
    private partial void LogImported(string path, int created, int updated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not import organisation file {Path} yet ({ErrorType}: {Error}); retrying")]
    private partial void LogDatabaseNotReady(string path, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Organisation file {Path} rejected: {Errors}")]
    private partial void LogRejected(string path, string errors);
}

/// <summary>Start-up cannot go on; the message says why and what to fix.</summary>
internal sealed class StartupException(string message) : Exception(message);
