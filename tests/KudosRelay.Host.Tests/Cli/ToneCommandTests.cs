using KudosRelay.Host.Cli;
using Xunit;

namespace KudosRelay.Host.Tests.Cli;

/// <summary><c>kudosrelay tone check</c>, and the tone check of every template when configuration loads.</summary>
public sealed class ToneCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunInProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await KudosRelayCli.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task An_order_is_flagged_with_its_rule_and_a_softer_wording_and_exits_1()
    {
        var (exitCode, output, error) = await RunInProcessAsync("tone", "check", "Fix the refund ASAP!!");

        Assert.Equal(1, exitCode);
        Assert.Contains("bare-imperative", output, StringComparison.Ordinal);
        Assert.Contains("pressure", output, StringComparison.Ordinal);
        Assert.Contains("repeated-punctuation", output, StringComparison.Ordinal);
        Assert.Contains("“ASAP” → “when you have a moment”", output, StringComparison.Ordinal);
        Assert.Contains("softer: “Could you fix the refund when you have a moment?”", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Unquoted_words_are_one_text()
    {
        var (exitCode, output, _) = await RunInProcessAsync("tone", "check", "please", "call", "the", "customer");

        Assert.Equal(1, exitCode);
        Assert.Contains("softer: “could you call the customer?”", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_is_fine_and_exits_0()
    {
        var (exitCode, output, _) = await RunInProcessAsync("tone", "check", "Could you fix the refund?");

        Assert.Equal(0, exitCode);
        Assert.Contains("fine: “Could you fix the refund?”", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ru", "Сделайте возврат срочно.", "Не могли бы вы сделать возврат когда будет возможность?")]
    [InlineData("bg", "Моля, изпратете документите.", "Бихте ли изпратили документите?")]
    [InlineData("ro", "Trimiteți factura imediat.", "Ați putea trimite factura când aveți un moment?")]
    public async Task The_locale_chooses_the_rules(string locale, string text, string softer)
    {
        var (exitCode, output, _) = await RunInProcessAsync("tone", "check", "--locale", locale, text);

        Assert.Equal(1, exitCode);
        Assert.Contains($"softer: “{softer}”", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_is_checked_line_by_line_naming_each_flagged_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(path, ["Could you call the customer?", "", "THANK you", "This is your fault."]);

            var (exitCode, output, _) = await RunInProcessAsync("tone", "check", "--file", path);

            Assert.Equal(1, exitCode);
            Assert.Contains("line 1: fine", output, StringComparison.Ordinal);
            Assert.Contains("line 3: 1 flagged in “THANK you”", output, StringComparison.Ordinal);
            Assert.Contains("line 4: 1 flagged in “This is your fault.”", output, StringComparison.Ordinal);
            Assert.Contains("3 text(s) checked, 2 flagged.", output, StringComparison.Ordinal);

            await File.WriteAllLinesAsync(path, ["Thank you — the customer noticed.", "Would you be able to look today?"]);
            Assert.Equal(0, (await RunInProcessAsync("tone", "check", "--file", path)).ExitCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("tone check", "Give a text to check, or --file FILE.")]
    [InlineData("tone check text --file x.txt", "Give a text or --file, not both.")]
    [InlineData("tone check --locale de text", "--locale")]
    [InlineData("tone check --bogus text", "Unrecognized option '--bogus'")]
    [InlineData("tone chek text", "Unrecognized command or argument 'chek'")]
    public async Task Bad_usage_exits_2_with_the_usage_on_standard_error(string commandLine, string complaint)
    {
        var (exitCode, output, error) = await RunInProcessAsync(commandLine.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Contains(complaint, error, StringComparison.Ordinal);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_it()
    {
        var (exitCode, _, error) = await RunInProcessAsync("tone", "check", "--file", "/nonexistent/texts.txt");

        Assert.Equal(2, exitCode);
        Assert.Contains("/nonexistent/texts.txt does not exist.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_names_the_text_the_locale_and_the_file()
    {
        var (exitCode, output, _) = await RunInProcessAsync("tone", "check", "--help");

        Assert.Equal(0, exitCode);
        Assert.All(["<text>", "--locale", "--file", "en", "bg", "ru", "ro"], named => Assert.Contains(named, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tone_check_needs_no_database_or_configuration()
    {
        var folder = Directory.CreateTempSubdirectory("kudosrelay-tone-");
        try
        {
            await using var run = HostProcess.StartIn(folder.FullName, "tone", "check", "Could you fix the refund?");

            Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(run.Output, line => line.Contains("fine", StringComparison.Ordinal));
            Assert.Empty(folder.EnumerateFileSystemInfos());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    [InlineData("migrate")]
    [InlineData("outbox", "list")]
    public async Task A_flagged_template_in_messages_folder_stops_the_server_and_every_command_naming_file_key_language_and_phrase(params string[] command)
    {
        var folder = Directory.CreateTempSubdirectory("kudosrelay-messages-");
        try
        {
            var templates = Directory.CreateDirectory(Path.Combine(folder.FullName, "Escalations"));
            var file = Path.Combine(templates.FullName, "en.yaml");
            await File.WriteAllTextAsync(file, "nudge.first: \"Fix this NOW!\"\nnudge.thanks: \"Thank you — the customer noticed.\"\n");

            await using var run = HostProcess.StartIn(folder.FullName, [.. command, $"--Messages:Folder={folder.FullName}"]);

            Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"Messages:Folder: the template {file}: nudge.first (en): “Fix this NOW!” is bare-imperative", run.ErrorOutput, StringComparison.Ordinal);
            Assert.Contains($"{file}: nudge.first (en): “NOW” is shouting", run.ErrorOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("nudge.thanks", run.ErrorOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.ErrorOutput, StringComparison.Ordinal);
            // Refused before the database was touched: nothing but the templates in the working folder.
            Assert.Equal(["Escalations"], folder.EnumerateFileSystemInfos().Select(entry => entry.Name));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_messages_folder_that_does_not_exist_stops_start_up_naming_the_key()
    {
        await using var run = HostProcess.Start("migrate", "--Messages:Folder=/nonexistent/messages");

        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Messages:Folder: '/nonexistent/messages' is not a folder.", run.ErrorOutput, StringComparison.Ordinal);
    }
}
