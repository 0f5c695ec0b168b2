using System.Net;
using KudosRelay.Core.Messaging;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace KudosRelay.Host.Http;

/// <summary>
/// Short retries for outbound HTTP, from the outside in: a few jittered retries, a circuit breaker, a
/// timeout per attempt. Only requests that are safe to send twice are retried
/// (<see cref="IdempotentRequest"/>): a post that delivers a message fails fast and the outbox, which
/// holds the idempotency key, reschedules it. Long waits belong to the outbox too: a <c>Retry-After</c>
/// longer than <see cref="MaxInlineRetryAfter"/> goes back to the caller, which hands it to the outbox.
/// </summary>
internal static class OutboundResilience
{
    public const string PipelineName = "outbound";

    /// <summary>Slack asks for answers within seconds; an attempt that takes longer is better abandoned.</summary>
    internal static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Waiting longer than this inside a send would hold an outbox lease; the outbox reschedules instead.</summary>
    internal static readonly TimeSpan MaxInlineRetryAfter = TimeSpan.FromSeconds(5);

    internal const int MaxRetries = 3;

    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    // Half the attempts failing over 30 s (with at least 10 attempts) means the platform is down: stop for 15 s.
    // While open, every call fails at once with BrokenCircuitException, which the senders report as transient,
    // so the outbox backs off instead of hammering a platform that is down.
    internal const double BreakerFailureRatio = 0.5;
    internal const int BreakerMinimumThroughput = 10;
    internal static readonly TimeSpan BreakerSamplingDuration = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(15);

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var clock = context.ServiceProvider.GetRequiredService<TimeProvider>();
        pipeline.TimeProvider = clock;
        pipeline
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome, clock)),
                // Null lets Polly use its own jittered back-off.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfterHeader.Of(response, clock) : null),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = BreakerFailureRatio,
                MinimumThroughput = BreakerMinimumThroughput,
                SamplingDuration = BreakerSamplingDuration,
                BreakDuration = BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
            })
            .AddTimeout(AttemptTimeout);
    }

    private static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, TimeProvider clock)
    {
        if (context.GetRequestMessage() is not { } request || !IdempotentRequest.Is(request))
            return false;
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } response
            && RetryAfterHeader.Of(response, clock) is { } wait)
            return wait <= MaxInlineRetryAfter;
        return IsServerFailure(outcome);
    }

    /// <summary>What says the host is unwell: no answer, a timed-out attempt, 5xx or 408. A 429 is the host working as designed.</summary>
    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };
}
