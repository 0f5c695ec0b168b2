using System.CommandLine;
using KudosRelay.Data;

namespace KudosRelay.Host.Cli;

internal static class MigrateCommand
{
    public static Command Create(IReadOnlyList<string> configuration)
    {
        var command = new Command("migrate", "Apply pending database migrations and exit.");
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithApplicationAsync(configuration, async app =>
        {
            var migrator = app.Services.GetRequiredService<Migrator>();
            try
            {
                var applied = await migrator.ApplyAsync(cancellationToken);
                foreach (var migration in applied)
                    Console.WriteLine($"applied {migration.Name}");
                var status = await migrator.GetStatusAsync(cancellationToken);
                Console.WriteLine(applied.Count == 0
                    ? $"Database is up to date ({status.Applied.Count} migrations applied)."
                    : $"Applied {applied.Count} migration(s); database is up to date.");
                return KudosRelayCli.Ok;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Console.Error.WriteLine($"Migration failed: {exception.GetType().Name}: {exception.Message}");
                return KudosRelayCli.Failed;
            }
        }));
        return command;
    }
}
