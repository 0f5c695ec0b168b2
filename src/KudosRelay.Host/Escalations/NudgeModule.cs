using KudosRelay.Core.Escalations;

namespace KudosRelay.Host.Escalations;

internal static class NudgeModule
{
    /// <summary>Escalations:SweepInterval → the sweeper and its worker; the preview of what the other department will read.</summary>
    public static IHostApplicationBuilder AddEscalationNudges(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<NudgeOptions>(NudgeOptions.Section);
        builder.Services.AddSingleton<NudgeSweepStore>();
        builder.Services.AddSingleton<EscalationSweep>();
        builder.Services.AddSingleton<NudgePreview>();
        builder.Services.AddHostedService<EscalationSweepWorker>();
        return builder;
    }
}
