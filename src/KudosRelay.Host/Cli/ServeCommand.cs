using System.CommandLine;

namespace KudosRelay.Host.Cli;

/// <summary><c>serve</c>, which the root command runs too when no command is given; both take <c>--urls</c>.</summary>
internal static class ServeCommand
{
    /// <summary>The <c>serve</c> command; <paramref name="rootUrls"/> is the root's <c>--urls</c>, which may come before <c>serve</c>.</summary>
    public static Command Create(IReadOnlyList<string> configuration, Option<string?> rootUrls)
    {
        var urls = UrlsOption();
        var command = new Command("serve", "Run the bot: HTTP endpoints and background workers (the default).") { urls };
        command.SetAction((result, _) => RunAsync(configuration, result.GetValue(urls) ?? result.GetValue(rootUrls)));
        return command;
    }

    /// <summary>Makes the root command serve when no command is given; returns its <c>--urls</c>.</summary>
    public static Option<string?> AddTo(RootCommand root, IReadOnlyList<string> configuration)
    {
        var urls = UrlsOption();
        root.Options.Add(urls);
        root.SetAction((result, _) => RunAsync(configuration, result.GetValue(urls)));
        return urls;
    }

    // The one configuration key without a section that operators set on the command line; it keeps its ASP.NET Core spelling.
    private static Option<string?> UrlsOption() => new("--urls", "--Urls")
    {
        Description = $"The URLs to listen on, separated by ';' (configuration key Urls; default {KudosRelayServer.DefaultUrls}).",
    };

    private static Task<int> RunAsync(IReadOnlyList<string> configuration, string? urls) =>
        KudosRelayCli.WithApplicationAsync(urls is null ? configuration : [.. configuration, $"--urls={urls}"], async app =>
        {
            await app.RunAsync();
            return KudosRelayCli.Ok;
        });
}
