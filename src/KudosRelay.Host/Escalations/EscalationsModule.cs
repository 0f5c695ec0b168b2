using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;

namespace KudosRelay.Host.Escalations;

internal static class EscalationsModule
{
    /// <summary>Escalations raised, shown, resolved and cancelled over signed HTTP (the sources of <c>Intake:Sources:*</c>).</summary>
    public static IHostApplicationBuilder AddEscalations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DepartmentCalendarStore>();
        builder.Services.AddSingleton<RaiseEscalationHandler>();
        builder.Services.AddSingleton<CloseEscalationHandler>();
        return builder;
    }
}
