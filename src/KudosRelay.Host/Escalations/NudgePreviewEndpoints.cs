using KudosRelay.Core.Escalations;
using KudosRelay.Host.Intake;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Escalations;

/// <summary>
/// <c>GET /api/escalations/{id}/preview</c>, signed like the other escalation endpoints: the next nudge the other
/// department will read, in their language, with when it goes and to whom.
/// </summary>
internal static class NudgePreviewEndpoints
{
    public static IEndpointRouteBuilder MapEscalationNudges(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/escalations/{id:long}/preview", PreviewAsync);
        return app;
    }

    private static async Task<IResult> PreviewAsync(long id, HttpContext context, IOptions<IntakeOptions> options, TimeProvider clock,
        EscalationStore escalations, NudgePreview preview, CancellationToken cancellationToken)
    {
        var request = await SignedRequest.ReadAsync(context, options.Value, clock, EscalationEndpoints.MaxBodyBytes, cancellationToken);
        if (request.Refusal is { } refusal)
            return refusal;
        if (await escalations.GetAsync(id, cancellationToken) is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no escalation {id}");
        return await preview.NextAsync(id, cancellationToken) switch
        {
            { } next => Results.Json(new
            {
                id,
                next = new
                {
                    stage = next.Stage,
                    at = next.At,
                    recipient = next.RecipientKind,
                    language = next.Language,
                    summary = next.Message.Summary,
                    blocks = next.Message.Blocks,
                },
            }),
            // Closed, silent after its last stage, or nobody to ask: nothing more will be sent.
            null => Results.Json(new { id, next = (object?)null }),
        };
    }
}
