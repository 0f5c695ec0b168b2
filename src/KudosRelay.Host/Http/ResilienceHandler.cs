using System.Collections.Concurrent;
using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace KudosRelay.Host.Http;

/// <summary>
/// Short retries for every outbound HTTP call: a per-attempt timeout, a few jittered retries on
/// 5xx, 408 and network errors, 429 retried after its <c>Retry-After</c> when that is short, and a
/// circuit breaker per host. Long waits belong to the outbox, so a long <c>Retry-After</c> is
/// returned to the caller, which reports it as a transient failure with that delay.
/// </summary>
internal sealed class ResilienceHandler(ResiliencePipelines pipelines) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.For(request.RequestUri?.Authority ?? "");
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.BaseSendAsync(state.Request, ctx.CancellationToken));
                    }
                    catch (Exception exception)
                    {
                        return Outcome.FromException<HttpResponseMessage>(exception);
                    }
                },
                context,
                (Handler: this, Request: request));
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}

/// <summary>One pipeline per remote host, so one failing platform does not open the breaker for another.</summary>
internal sealed class ResiliencePipelines(TimeProvider clock)
{
    /// <summary>Slack asks for answers within seconds; an attempt that takes longer is better retried.</summary>
    internal static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Waiting longer than this inside a send would hold an outbox lease; the outbox reschedules instead.</summary>
    internal static readonly TimeSpan MaxInlineRetryAfter = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> byHost = new();

    public ResiliencePipeline<HttpResponseMessage> For(string host) => byHost.GetOrAdd(host, _ => Build());

    private ResiliencePipeline<HttpResponseMessage> Build() => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
        })
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            // Half the calls failing over 30 s (with at least 10 calls) means the platform is down: stop for 15 s.
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(15),
            ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
        })
        .AddTimeout(AttemptTimeout)
        .Build();

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => RetryAfterOf(outcome.Result) is { } wait && wait <= MaxInlineRetryAfter,
        _ => IsServerFailure(outcome),
    };

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };

    /// <summary>Null lets Polly use its own jittered back-off.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response) =>
        response?.StatusCode == HttpStatusCode.TooManyRequests ? RetryAfterOf(response) : null;

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow > TimeSpan.Zero ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
        _ => null,
    };
}
