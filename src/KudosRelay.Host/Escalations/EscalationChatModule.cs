using KudosRelay.Core.Calendar;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Escalations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KudosRelay.Host.Escalations;

internal static class EscalationChatModule
{
    /// <summary>Escalations in chat: the one-click answers on nudges and the form that raises an escalation (/escalate, escalate).</summary>
    public static IHostApplicationBuilder AddEscalationChat(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<DepartmentCalendarStore>();
        builder.Services.AddSingleton<NudgeAnswerStore>();
        builder.Services.AddSingleton<IButtonHandler, AnswerNudgeHandler>();
        builder.Services.AddSingleton<IFormHandler, EscalationFormHandler>();
        return builder;
    }
}
