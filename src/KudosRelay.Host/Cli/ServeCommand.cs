using System.CommandLine;

namespace KudosRelay.Host.Cli;

internal static class ServeCommand
{
    public static Command Create(IReadOnlyList<string> configuration)
    {
        var command = new Command("serve", "Run the bot: HTTP endpoints and background workers (the default).");
        Configure(command, configuration);
        return command;
    }

    /// <summary>Makes <paramref name="command"/> serve: <c>serve</c> itself, and the root command, since serving is the default.</summary>
    public static void Configure(Command command, IReadOnlyList<string> configuration)
    {
        // The one configuration key without a section that operators set on the command line; it keeps its ASP.NET Core spelling.
        var urls = new Option<string?>("--urls", "--Urls") { Description = $"The URLs to listen on, separated by ';' (configuration key Urls; default {KudosRelayServer.DefaultUrls})." };
        command.Options.Add(urls);
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithApplicationAsync(
            result.GetValue(urls) is { } value ? [.. configuration, $"--urls={value}"] : configuration,
            async app =>
            {
                await app.RunAsync();
                return KudosRelayCli.Ok;
            }));
    }
}
