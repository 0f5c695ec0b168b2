using System.CommandLine;
using System.Data.Common;
using KudosRelay.Data;
using KudosRelay.Host.Storage;
using KudosRelay.Host.Org;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Cli;

/// <summary>
/// The <c>kudosrelay</c> command line. Every command builds the same application (so it reads the
/// same configuration) and anything the parser does not recognise, such as
/// <c>--Database:Provider=SqlServer</c> or <c>--urls</c>, is handed to configuration.
/// </summary>
internal static class KudosRelayCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadConfiguration = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("KudosRelay: relays customer kudos, nudges escalations politely, posts weekly appreciation digests.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serve = ServeCommand.Create();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(OrgCommands.Create());
        root.Subcommands.Add(FeedbackCommands.Create());
        root.Subcommands.Add(OutboxCommands.Create());
        root.Subcommands.Add(TeamsPackageCommand.Create());
        root.SetAction((result, cancellationToken) => ServeCommand.RunAsync(result, cancellationToken));
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Builds the application with the unrecognised tokens as configuration and runs <paramref name="work"/> on its services.</summary>
    public static async Task<int> WithApplicationAsync(ParseResult result, Func<WebApplication, Task<int>> work)
    {
        WebApplication app;
        try
        {
            app = KudosRelayServer.Create(result.UnmatchedTokens.ToArray());
            ValidateOptions(app.Services);
        }
        catch (OptionsValidationException exception)
        {
            return ReportConfigurationErrors(exception);
        }
        await using (app)
        {
            try
            {
                return await work(app);
            }
            catch (OptionsValidationException exception)
            {
                return ReportConfigurationErrors(exception);
            }
            catch (StartupException exception)
            {
                Console.Error.WriteLine(exception.Message);
                return BadConfiguration;
            }
        }
    }

    /// <summary>
    /// <see cref="WithApplicationAsync"/> for commands that use the database. With <c>Database:MigrateOnStart</c>
    /// on (the SQLite default) pending migrations are applied first, as the server does at start; otherwise a
    /// database that is not migrated is refused with the command that migrates it, instead of failing halfway
    /// on a missing table.
    /// </summary>
    public static Task<int> WithMigratedDatabaseAsync(ParseResult result, Func<WebApplication, Task<int>> work, CancellationToken cancellationToken) =>
        WithApplicationAsync(result, async app =>
        {
            if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ShouldMigrateOnStart)
            {
                try
                {
                    await app.Services.GetRequiredService<Migrator>().ApplyAsync(cancellationToken);
                }
                catch (DbException exception)
                {
                    Console.Error.WriteLine($"The database cannot be used: {exception.Message}");
                    return Failed;
                }
            }
            // The same check as /readyz: an unreachable database or pending migrations, with what to run.
            var readiness = await app.Services.GetRequiredService<DatabaseReadiness>().CheckAsync(cancellationToken);
            if (!readiness.IsReady)
            {
                Console.Error.WriteLine($"Nothing was done: {readiness.Reason}.");
                return Failed;
            }
            return await work(app);
        });

    private static void ValidateOptions(IServiceProvider services)
    {
        // Resolving validated options throws with every failure listed, naming the configuration keys.
        foreach (var validator in services.GetRequiredService<IEnumerable<IStartupValidator>>())
            validator.Validate();
    }

    private static int ReportConfigurationErrors(OptionsValidationException exception)
    {
        Console.Error.WriteLine("Configuration error:");
        foreach (var failure in exception.Failures)
            Console.Error.WriteLine($"  {failure}");
        return BadConfiguration;
    }
}
