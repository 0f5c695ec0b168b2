using System.CommandLine;
using KudosRelay.Teams.Packaging;

namespace KudosRelay.Host.Cli;

internal static class TeamsPackageCommand
{
    public static Command Create()
    {
        var teams = new Command("teams", "Microsoft Teams app tools.");
        teams.Subcommands.Add(Package());
        return teams;
    }

    private static Command Package()
    {
        var appId = new Option<Guid>("--app-id") { Description = "The bot's Azure AD app id (Teams:AppId).", Required = true };
        var teamsAppId = new Option<Guid?>("--teams-app-id") { Description = "The Teams app id, when it differs from the bot's app id." };
        var domain = new Option<string?>("--domain") { Description = "The bot's public host name, listed in validDomains." };
        var version = new Option<string?>("--version") { Description = "The app version (default 1.0.0)." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the package.", DefaultValueFactory = _ => new FileInfo("kudosrelay-teams.zip") };
        var command = new Command("package", "Write the Teams app package (manifest and icons) with the ids filled in.") { appId, teamsAppId, domain, version, output };
        command.SetAction(result =>
        {
            var file = result.GetValue(output)!;
            using (var stream = file.Create())
                TeamsAppPackage.Write(stream, result.GetValue(appId), result.GetValue(teamsAppId), result.GetValue(domain), result.GetValue(version));
            Console.WriteLine($"Wrote {file.FullName}: upload it in Teams (Apps → Manage your apps → Upload an app).");
            return KudosRelayCli.Ok;
        });
        return command;
    }
}
