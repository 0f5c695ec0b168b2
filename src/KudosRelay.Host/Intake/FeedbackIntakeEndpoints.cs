using System.Text.Json;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Storage;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Intake;

internal static partial class FeedbackIntakeEndpoints
{
    /// <summary>Bodies above this are refused before they are read further: 1,000 items of a few hundred bytes fit well within it.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    internal const int MaxItems = 1000;

    public static IHostApplicationBuilder AddFeedbackIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<IntakeOptions>(IntakeOptions.Section);
        return builder;
    }

    public static IEndpointRouteBuilder MapFeedbackIntake(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/feedback", ReceiveAsync);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext context,
        IOptions<IntakeOptions> options,
        SubmitFeedbackHandler handler,
        StorageBudget storage,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        using var body = await BoundedBody.ReadAsync(request.Body, request.ContentLength, MaxBodyBytes, cancellationToken);
        if (body is null)
            return TooLarge();

        var sourceName = request.Headers["X-KudosRelay-Source"].ToString();
        var now = clock.GetUtcNow();
        if (!options.Value.Sources.TryGetValue(sourceName, out var source)
            || !IntakeSignature.IsValid(source.Secret, request.Headers["X-KudosRelay-Timestamp"], request.Headers["X-KudosRelay-Signature"], body.Span, now))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

        FeedbackBatch batch;
        try
        {
            using var document = JsonDocument.Parse(body.Memory);
            batch = FeedbackJson.Parse(document.RootElement, now.UtcDateTime);
        }
        catch (JsonException exception)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid feedback JSON",
                detail: $"not valid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}");
        }
        catch (FormatException exception)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid feedback JSON", detail: exception.Message);
        }
        if (batch.Count == 0)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The batch is empty");
        if (batch.Count > MaxItems)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"A batch holds at most {MaxItems} items, not {batch.Count}");

        IReadOnlyList<FeedbackOutcome> outcomes;
        try
        {
            outcomes = await storage.RunAsync(token => handler.SubmitAsync(sourceName, batch.Accepted, token), storage.Intake, cancellationToken);
        }
        catch (StorageUnavailableException exception)
        {
            // Nothing of the batch was committed: 503 rather than a 202 for items that were never stored.
            LogStorageUnavailable(loggers.CreateLogger("KudosRelay.Intake"), sourceName, exception.Message);
            context.Response.Headers.RetryAfter = StorageUnavailableException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The database cannot take the batch now; nothing was stored. Send it again after Retry-After.");
        }
        var all = outcomes.Concat(batch.Rejected).ToList();
        LogBatch(loggers.CreateLogger("KudosRelay.Intake"), sourceName, batch.Count, all.Count(o => o.Result == FeedbackResult.Relayed), batch.Rejected.Count);
        return Results.Json(new { received = batch.Count, items = all.Select(Describe) }, statusCode: StatusCodes.Status202Accepted);
    }

    private static object Describe(FeedbackOutcome outcome) => new
    {
        externalId = outcome.ExternalId,
        result = outcome.Result,
        field = outcome.Field,
        reason = outcome.Reason,
        index = outcome.Index,
    };


    private static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The body is larger than {MaxBodyBytes / 1024} KB; send smaller batches");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback from {Source} answered 503 with Retry-After: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback from {Source}: {Count} item(s), {Relayed} relayed, {Rejected} rejected")]
    private static partial void LogBatch(ILogger logger, string source, int count, int relayed, int rejected);
}
