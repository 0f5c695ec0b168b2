using KudosRelay.Core.Language;
using KudosRelay.Core.Tone;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Messages;

internal static class MessagesModule
{
    /// <summary>
    /// Messages:Folder → the operator's templates laid over the shipped catalogue. Every template passes the tone guard
    /// before anything starts (a flagged one stops the server and every command): the operator's are checked here, the
    /// shipped ones by a test, since neither they nor the guard's rules change after the build.
    /// </summary>
    public static IHostApplicationBuilder AddMessages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MessagesOptions>().BindConfiguration(MessagesOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MessagesOptions>, MessageTemplatesCheck>();
        return builder;
    }
}

/// <summary>The <c>Messages:*</c> configuration section.</summary>
internal sealed class MessagesOptions
{
    public const string Section = "Messages";

    /// <summary>A folder of <c>{Feature}/{language}.yaml</c> files that replace or add catalogue texts, or add a language.</summary>
    public string? Folder { get; set; }
}

/// <summary>
/// Builds the catalogue the configuration asks for, checks the operator's templates with the tone guard and, when all pass,
/// installs it as <see cref="MessageCatalogue.Current"/>. It runs where options are validated at start (the server
/// and each command), so features keep reading the catalogue statically and no template is sent unchecked.
/// </summary>
internal sealed class MessageTemplatesCheck : IValidateOptions<MessagesOptions>
{
    private const string Key = $"{MessagesOptions.Section}:{nameof(MessagesOptions.Folder)}";

    public ValidateOptionsResult Validate(string? name, MessagesOptions options)
    {
        var catalogue = MessageCatalogue.Shipped;
        if (options.Folder is { Length: > 0 } folder)
        {
            if (!Directory.Exists(folder))
                return ValidateOptionsResult.Fail($"{Key}: '{folder}' is not a folder.");
            try
            {
                catalogue = catalogue.WithFolder(folder);
            }
            catch (FormatException exception)
            {
                return ValidateOptionsResult.Fail($"{Key}: {exception.Message}");
            }
        }
        var problems = TemplateCheck.Problems(catalogue, ToneGuard.Interpreted, operatorsOnly: true);
        if (problems.Count > 0)
            return ValidateOptionsResult.Fail(problems.Select(problem => $"{Key}: the template {problem}"));
        MessageCatalogue.Install(catalogue);
        return ValidateOptionsResult.Success;
    }
}
