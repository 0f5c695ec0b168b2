using System.Globalization;
using System.Net;
using System.Threading.Channels;
using KudosRelay.Core.Messaging;
using KudosRelay.Host.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Xunit;

namespace KudosRelay.Host.Tests.Http;

/// <summary>
/// The outbound pipeline as the host registers it, on a fake clock, in front of a scripted platform that
/// stands in for the network. Nothing here waits on the wall clock: the test moves time when, and only
/// when, the pipeline has started a timer.
/// </summary>
public sealed class OutboundResilienceTests : IDisposable
{
    private static readonly Uri Slack = new("https://slack.test/api/");
    private static readonly Uri Teams = new("https://teams.test/v3/");

    private readonly WatchedClock clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly ScriptedPlatform platform;
    private readonly ServiceProvider services;
    private readonly HttpClient client;
    private readonly CancellationTokenSource guard = new(TimeSpan.FromSeconds(30));   // a hung test fails instead of hanging

    public OutboundResilienceTests()
    {
        platform = new ScriptedPlatform(clock);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddLogging();
        collection.AddOutboundHttp();
        collection.AddHttpClient("platform").ConfigurePrimaryHttpMessageHandler(() => platform);
        services = collection.BuildServiceProvider();
        client = services.GetRequiredService<IHttpClientFactory>().CreateClient("platform");
    }

    public void Dispose()
    {
        client.Dispose();
        services.Dispose();
        guard.Dispose();
    }

    [Fact]
    public async Task A_get_answered_503_is_retried_until_the_platform_answers()
    {
        platform.Script(Status(503), Status(503), Status(200));

        var sending = client.GetAsync(new Uri(Slack, "users.info"));
        await platform.NextCallAsync(guard.Token);
        await AdvanceThroughRetryDelayAsync();
        await platform.NextCallAsync(guard.Token);
        await AdvanceThroughRetryDelayAsync();
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, platform.Calls.Count);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(408)]
    public async Task A_post_is_never_retried_whatever_the_platform_answers(int status)
    {
        platform.Script(Status(status), Status(200));

        using var response = await client.PostAsync(new Uri(Slack, "chat.postMessage"), new StringContent("{}"));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Single(platform.Calls);
    }

    [Fact]
    public async Task A_post_marked_idempotent_is_retried_like_a_get()
    {
        platform.Script(Status(503), Status(200));
        using var request = IdempotentRequest.Mark(new HttpRequestMessage(HttpMethod.Post, new Uri(Teams, "token")) { Content = new StringContent("grant_type=client_credentials") });

        var sending = client.SendAsync(request);
        await platform.NextCallAsync(guard.Token);
        await AdvanceThroughRetryDelayAsync();
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["POST", "POST"], platform.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task A_short_retry_after_is_waited_out_exactly_before_a_get_is_retried()
    {
        platform.Script(Status(429, retryAfter: "3"), Status(200));

        var sending = client.GetAsync(new Uri(Teams, "conversations/a/members/b"));
        await platform.NextCallAsync(guard.Token);
        var wait = await clock.NextTimerAsync(except: OutboundResilience.AttemptTimeout, guard.Token);
        clock.Advance(wait);
        using var response = await sending;

        Assert.Equal(TimeSpan.FromSeconds(3), wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), platform.Calls[1].At - platform.Calls[0].At);
    }

    [Fact]
    public async Task A_retry_after_date_is_measured_on_the_injected_clock()
    {
        var date = clock.GetUtcNow().AddSeconds(4).ToString("R", CultureInfo.InvariantCulture);
        platform.Script(Status(503, retryAfter: date), Status(200));

        var sending = client.GetAsync(new Uri(Slack, "users.info"));
        await platform.NextCallAsync(guard.Token);
        var wait = await clock.NextTimerAsync(except: OutboundResilience.AttemptTimeout, guard.Token);
        clock.Advance(wait);
        using var response = await sending;

        Assert.Equal(TimeSpan.FromSeconds(4), wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_inline_limit_is_handed_back_for_the_outbox_to_reschedule()
    {
        platform.Script(Status(429, retryAfter: "120"), Status(200));

        using var response = await client.GetAsync(new Uri(Slack, "users.info"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), RetryAfterHeader.Of(response, clock));
        Assert.Single(platform.Calls);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        platform.Script(Status(404), Status(200));

        using var response = await client.GetAsync(new Uri(Teams, "conversations/a/members/b"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(platform.Calls);
    }

    [Fact]
    public async Task An_attempt_that_outlasts_the_attempt_timeout_is_abandoned_and_a_get_tried_again()
    {
        platform.Script(Hang, Status(200));

        var sending = client.GetAsync(new Uri(Slack, "users.info"));
        await platform.NextCallAsync(guard.Token);
        clock.Advance(OutboundResilience.AttemptTimeout);
        await AdvanceThroughRetryDelayAsync();
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, platform.Calls.Count);
        Assert.True(platform.Calls[0].WasCancelled);
    }

    [Fact]
    public async Task A_post_that_outlasts_the_attempt_timeout_fails_as_timed_out_and_is_not_sent_again()
    {
        platform.Script(Hang, Status(200));

        var sending = client.PostAsync(new Uri(Slack, "chat.postMessage"), new StringContent("{}"));
        await platform.NextCallAsync(guard.Token);
        clock.Advance(OutboundResilience.AttemptTimeout);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => sending);
        Assert.Single(platform.Calls);
    }

    [Fact]
    public async Task A_failing_host_opens_its_breaker_and_another_host_is_unaffected()
    {
        platform.Script(Enumerable.Repeat(Status(503), OutboundResilience.BreakerMinimumThroughput).ToArray());
        for (var i = 0; i < OutboundResilience.BreakerMinimumThroughput; i++)
        {
            using var failed = await client.PostAsync(new Uri(Slack, "chat.postMessage"), new StringContent("{}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        var broken = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.PostAsync(new Uri(Slack, "chat.postMessage"), new StringContent("{}")));
        platform.Script(Status(200));
        using var otherHost = await client.GetAsync(new Uri(Teams, "conversations/a/members/b"));

        Assert.Equal(OutboundResilience.BreakDuration, broken.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, otherHost.StatusCode);
        Assert.Equal(OutboundResilience.BreakerMinimumThroughput, platform.Calls.Count(c => c.Uri.Host == Slack.Host));
    }

    [Fact]
    public async Task After_the_break_the_host_is_tried_again()
    {
        platform.Script(Enumerable.Repeat(Status(503), OutboundResilience.BreakerMinimumThroughput).Append(Status(200)).ToArray());
        for (var i = 0; i < OutboundResilience.BreakerMinimumThroughput; i++)
            (await client.PostAsync(new Uri(Slack, "chat.postMessage"), new StringContent("{}"))).Dispose();
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.PostAsync(new Uri(Slack, "chat.postMessage"), new StringContent("{}")));

        clock.Advance(OutboundResilience.BreakDuration);
        using var response = await client.PostAsync(new Uri(Slack, "chat.postMessage"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OutboundResilience.BreakerMinimumThroughput + 1, platform.Calls.Count);
    }

    /// <summary>Waits until the retry strategy has started its back-off timer, then moves the clock past it.</summary>
    private async Task AdvanceThroughRetryDelayAsync() =>
        clock.Advance(await clock.NextTimerAsync(except: OutboundResilience.AttemptTimeout, guard.Token));

    private static Func<CancellationToken, Task<HttpResponseMessage>> Status(int status, string? retryAfter = null) => _ =>
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfter is not null)
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return Task.FromResult(response);
    };

    private static async Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    private sealed record Call(string Method, Uri Uri, DateTimeOffset At)
    {
        public bool WasCancelled { get; set; }
    }

    /// <summary>The network as the pipeline sees it: each request gets the next scripted answer and is recorded with the fake time.</summary>
    private sealed class ScriptedPlatform(TimeProvider clock) : HttpMessageHandler
    {
        private readonly Queue<Func<CancellationToken, Task<HttpResponseMessage>>> answers = new();
        private readonly List<Call> calls = [];
        private readonly Channel<Call> arrivals = Channel.CreateUnbounded<Call>();

        public IReadOnlyList<Call> Calls
        {
            get
            {
                lock (calls)
                    return [.. calls];
            }
        }

        public void Script(params Func<CancellationToken, Task<HttpResponseMessage>>[] replies)
        {
            lock (answers)
            {
                foreach (var reply in replies)
                    answers.Enqueue(reply);
            }
        }

        public async Task<Call> NextCallAsync(CancellationToken cancellationToken) => await arrivals.Reader.ReadAsync(cancellationToken);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = new Call(request.Method.Method, request.RequestUri!, clock.GetUtcNow());
            Func<CancellationToken, Task<HttpResponseMessage>> answer;
            lock (answers)
                answer = answers.Count > 0 ? answers.Dequeue() : Status(200);
            lock (calls)
                calls.Add(call);
            arrivals.Writer.TryWrite(call);
            try
            {
                var response = await answer(cancellationToken);
                response.RequestMessage = request;
                return response;
            }
            catch (OperationCanceledException)
            {
                call.WasCancelled = true;
                throw;
            }
        }
    }
}
