using System.CommandLine;
using KudosRelay.Core.People;

namespace KudosRelay.Host.Cli;

internal static class OrgCommands
{
    public static Command Create(IReadOnlyList<string> configuration)
    {
        var org = new Command("org", "Import or export people, teams, departments and digest subscriptions.");
        org.Subcommands.Add(Import(configuration));
        org.Subcommands.Add(Export(configuration));
        return org;
    }

    private static Command Import(IReadOnlyList<string> configuration)
    {
        var file = new Argument<FileInfo>("file") { Description = "A YAML or JSON organisation file." }.RefusingUnknownOptions();
        var command = new Command("import", "Create or update the organisation from a file; a file with any error is refused whole.") { file };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"{path.FullName} does not exist.");
                return KudosRelayCli.Failed;
            }
            var text = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            var outcome = await app.Services.GetRequiredService<ImportOrganisationHandler>().ImportAsync(text, cancellationToken);
            if (!outcome.Succeeded)
            {
                Console.Error.WriteLine($"{path.Name} was not imported; nothing was written. {outcome.Errors.Count} error(s):");
                foreach (var error in outcome.Errors)
                    Console.Error.WriteLine($"  {error}");
                return KudosRelayCli.Failed;
            }
            Console.WriteLine($"Imported {path.Name}:");
            Console.WriteLine(outcome.Summary);
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Export(IReadOnlyList<string> configuration)
    {
        var format = new Option<string>("--format") { Description = "yaml or json.", DefaultValueFactory = _ => "yaml" };
        format.AcceptOnlyFromAmong("yaml", "json");
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Write the organisation as a file that imports back to the same state.") { format, output };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var chosen = result.GetValue(format) == "json" ? OrgExportFormat.Json : OrgExportFormat.Yaml;
            var text = await app.Services.GetRequiredService<ExportOrganisationHandler>().ExportAsync(chosen, cancellationToken);
            if (result.GetValue(output) is { } file)
                await File.WriteAllTextAsync(file.FullName, text, cancellationToken);
            else
                Console.Write(text);
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }
}
