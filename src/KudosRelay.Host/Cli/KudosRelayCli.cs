using System.CommandLine;
using System.CommandLine.Invocation;
using System.Data.Common;
using KudosRelay.Data;
using KudosRelay.Host.Storage;
using KudosRelay.Host.Org;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Cli;

/// <summary>
/// The <c>kudosrelay</c> command line. Every command builds the same application (so it reads the same
/// configuration); options whose name holds a colon, such as <c>--Database:Provider=SqlServer</c>, are handed to
/// configuration, and any other token the parser does not know is refused with the usage.
/// </summary>
internal static class KudosRelayCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadConfiguration = 2;

    /// <summary>An unknown command or option, or a missing argument: nothing was done.</summary>
    public const int BadUsage = 2;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Parses and runs a command line; usage and parse errors go to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = ConfigurationArguments.Split(args);
        var root = Create(arguments.Configuration);
        var parsed = root.Parse(arguments.CommandLine);
        if (parsed.Action is ParseErrorAction)
        {
            // The errors, then the usage of the command they belong to (its options and subcommands), all on standard
            // error; the parser's own exit code for this is 1, which means "the operation failed" here.
            await parsed.InvokeAsync(new InvocationConfiguration { Output = error, Error = error });
            return BadUsage;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static RootCommand Create(IReadOnlyList<string> configuration)
    {
        var root = new RootCommand(
            "KudosRelay: relays customer kudos, nudges escalations politely, posts weekly appreciation digests. "
            + "Runs the server when no command is given. Any configuration key can be set for one run as "
            + "--Section:Key=value or --Section:Key value, e.g. --Database:Provider=SqlServer.");
        var urls = ServeCommand.AddTo(root, configuration);
        root.Subcommands.Add(ServeCommand.Create(configuration, urls));
        root.Subcommands.Add(MigrateCommand.Create(configuration));
        root.Subcommands.Add(OrgCommands.Create(configuration));
        root.Subcommands.Add(FeedbackCommands.Create(configuration));
        root.Subcommands.Add(OutboxCommands.Create(configuration));
        root.Subcommands.Add(TeamsPackageCommand.Create());
        root.Subcommands.Add(ToneCommands.Create());
        return root;
    }

    /// <summary>Builds the application with <paramref name="configuration"/> (command-line overrides) and runs <paramref name="work"/> on its services.</summary>
    public static async Task<int> WithApplicationAsync(IReadOnlyList<string> configuration, Func<WebApplication, Task<int>> work)
    {
        WebApplication app;
        try
        {
            app = KudosRelayServer.Create([.. configuration]);
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
    public static Task<int> WithMigratedDatabaseAsync(IReadOnlyList<string> configuration, Func<WebApplication, Task<int>> work, CancellationToken cancellationToken) =>
        WithApplicationAsync(configuration, async app =>
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
                Console.Error.WriteLine(readiness.Detail is { } detail ? $"Nothing was done: {readiness.Reason}: {detail}" : $"Nothing was done: {readiness.Reason}.");
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
