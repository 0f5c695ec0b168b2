using Microsoft.Extensions.Options;

namespace KudosRelay.Host;

/// <summary>A configuration section that can say what is wrong with it, naming keys as an operator writes them.</summary>
internal interface ISelfCheckingOptions
{
    IEnumerable<string> Problems();
}

internal static class ValidatedOptions
{
    /// <summary>Binds <paramref name="section"/> to <typeparamref name="T"/> and refuses to start while it has problems.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class, ISelfCheckingOptions
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, ProblemsValidator<T>>();
        return services;
    }

    private sealed class ProblemsValidator<T> : IValidateOptions<T>
        where T : class, ISelfCheckingOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
