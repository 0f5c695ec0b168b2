using System.CommandLine;
using KudosRelay.Core.Tone;

namespace KudosRelay.Host.Cli;

/// <summary><c>tone check</c>: the tone guard on a text or a file of texts; needs neither configuration nor a database.</summary>
internal static class ToneCommands
{
    public static Command Create()
    {
        var tone = new Command("tone", "Check wording against the tone guard: no orders, pressure, blame or shouting.");
        tone.Subcommands.Add(Check());
        return tone;
    }

    private static Command Check()
    {
        // Any number of words, joined by spaces: quoting the text is kind to the shell but not required.
        var words = new Argument<string[]>("text") { Description = "The text to check (best quoted).", Arity = ArgumentArity.ZeroOrMore };
        var locale = new Option<string>("--locale") { Description = "The text's language.", DefaultValueFactory = _ => "en" };
        locale.AcceptOnlyFromAmong("en", "bg", "ru", "ro");
        var file = new Option<FileInfo?>("--file") { Description = "Check each line of this file as one text." };
        var command = new Command("check", "Print each flagged phrase with its rule and a softer wording; exit 1 when anything is flagged, 0 when all is fine.")
        {
            words, locale, file,
        };
        command.Validators.Add(result =>
        {
            // An unknown option lands among the words; name it rather than check it (CommandArguments.RefusingUnknownOptions
            // does this for single arguments, but its validator is not run for a list).
            foreach (var word in result.GetValue(words) ?? [])
            {
                if (word.Length > 1 && word[0] == '-' && !char.IsAsciiDigit(word[1]))
                    result.AddError($"Unrecognized option '{word}'.");
            }
            var hasText = result.GetValue(words) is { Length: > 0 };
            var hasFile = result.GetValue(file) is not null;
            if (hasText == hasFile)
                result.AddError(hasText ? "Give a text or --file, not both." : "Give a text to check, or --file FILE.");
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var language = result.GetValue(locale)!;
            if (result.GetValue(file) is not { } path)
            {
                var text = string.Join(' ', result.GetValue(words)!);
                return Report(output, ToneGuard.Interpreted.Check(text, language), text, label: null) ? KudosRelayCli.Failed : KudosRelayCli.Ok;
            }
            if (!path.Exists)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"{path.FullName} does not exist.");
                return KudosRelayCli.BadUsage;
            }
            var lines = await File.ReadAllLinesAsync(path.FullName, cancellationToken);
            var flagged = 0;
            var checkedTexts = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(lines[i]))
                    continue;
                checkedTexts++;
                if (Report(output, ToneGuard.Interpreted.Check(lines[i], language), lines[i], label: $"line {i + 1}"))
                    flagged++;
            }
            await output.WriteLineAsync($"{checkedTexts} text(s) checked, {flagged} flagged.");
            return flagged > 0 ? KudosRelayCli.Failed : KudosRelayCli.Ok;
        });
        return command;
    }

    /// <summary>Writes what the guard found; true when something was flagged.</summary>
    private static bool Report(TextWriter output, ToneVerdict verdict, string text, string? label)
    {
        var prefix = label is null ? "" : $"{label}: ";
        if (verdict.IsFine)
        {
            output.WriteLine($"{prefix}fine: “{text}”");
            return false;
        }
        output.WriteLine($"{prefix}{verdict.Flags.Count} flagged in “{text}”");
        var width = verdict.Flags.Max(flag => flag.Rule.Length);
        foreach (var flag in verdict.Flags)
            output.WriteLine($"  {flag.Rule.PadRight(width)}  “{flag.Phrase}” → " + (flag.Suggestion.Length > 0 ? $"“{flag.Suggestion}”" : "leave it out"));
        output.WriteLine($"  softer: “{verdict.SofterRewrite}”");
        return true;
    }
}
