namespace KudosRelay.Host.Cli;

/// <summary>
/// The arguments of a command line split into those for the parser and configuration overrides. An option whose
/// name holds a colon is configuration, as <c>--Section:Key=value</c> or <c>--Section:Key value</c> (the forms the
/// configuration's command-line source reads); everything else goes to the parser, which refuses what it does not know.
/// </summary>
internal sealed record ConfigurationArguments(IReadOnlyList<string> CommandLine, IReadOnlyList<string> Configuration)
{
    public static ConfigurationArguments Split(IReadOnlyList<string> args)
    {
        var commandLine = new List<string>();
        var configuration = new List<string>();
        for (var index = 0; index < args.Count; index++)
        {
            var arg = args[index];
            if (!IsConfigurationKey(arg))
                commandLine.Add(arg);
            else if (arg.Contains('=', StringComparison.Ordinal))
                configuration.Add(arg);
            else if (index + 1 < args.Count)
                configuration.AddRange([arg, args[++index]]);
            else
                commandLine.Add(arg); // a key without a value: left to the parser, which reports it as unrecognised
        }
        return new(commandLine, configuration);
    }

    private static bool IsConfigurationKey(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
            return false;
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? arg.AsSpan(2) : arg.AsSpan(2, equals - 2);
        return name.Contains(':') && name[0] != ':';
    }
}
