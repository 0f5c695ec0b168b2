using KudosRelay.Core.Digests;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Digests;

/// <summary>The <c>Digests:*</c> configuration section.</summary>
internal sealed class DigestOptions : ISelfCheckingOptions
{
    public const string Section = "Digests";

    /// <summary>How often the scheduler looks for digests that are due.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A digest that goes out more than this after its time (the scheduler was down) is marked late.</summary>
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromHours(1);

    public bool SchedulerEnabled { get; set; } = true;

    public IEnumerable<string> Problems()
    {
        if (SchedulerInterval < TimeSpan.FromMilliseconds(10) || SchedulerInterval > TimeSpan.FromHours(1))
            yield return $"Digests:SchedulerInterval must be between 00:00:00.010 and 01:00:00, not {SchedulerInterval}.";
        if (LateAfter < TimeSpan.Zero)
            yield return $"Digests:LateAfter must not be negative, not {LateAfter}.";
    }
}

internal static class DigestModule
{
    /// <summary>Digests:* → the subscriptions, the weekly scheduler and its worker.</summary>
    public static IHostApplicationBuilder AddDigests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DigestOptions>(DigestOptions.Section);
        builder.Services.AddSingleton(services => new DigestSchedulerOptions { LateAfter = services.GetRequiredService<IOptions<DigestOptions>>().Value.LateAfter });
        builder.Services.AddSingleton<DigestStore>();
        builder.Services.AddSingleton<DigestRunStore>();
        builder.Services.AddSingleton<DigestScheduler>();
        builder.Services.AddHostedService<DigestWorker>();
        return builder;
    }
}
