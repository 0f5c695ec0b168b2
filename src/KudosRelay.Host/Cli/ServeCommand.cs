using System.CommandLine;

namespace KudosRelay.Host.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the bot: HTTP endpoints and background workers (the default).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(RunAsync);
        return command;
    }

    public static Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken) =>
        KudosRelayCli.WithApplicationAsync(result, async app =>
        {
            await app.RunAsync();
            return KudosRelayCli.Ok;
        });
}
