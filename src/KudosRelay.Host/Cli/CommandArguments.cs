using System.CommandLine;

namespace KudosRelay.Host.Cli;

internal static class CommandArguments
{
    /// <summary>
    /// Refuses an option-like value for an argument. The parser hands a token it does not know as an option to the
    /// next argument, so <c>org import --bogus org.yaml</c> would read <c>--bogus</c> as the file and only complain
    /// about <c>org.yaml</c>; this names the token that is wrong. Negative numbers pass.
    /// </summary>
    public static Argument<T> RefusingUnknownOptions<T>(this Argument<T> argument)
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                var value = token.Value;
                if (value.Length > 1 && value[0] == '-' && !char.IsAsciiDigit(value[1]))
                    result.AddError($"Unrecognized option '{value}'.");
            }
        });
        return argument;
    }
}
