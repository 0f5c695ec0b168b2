using System.Collections.Concurrent;
using System.Net;
using KudosRelay.Host.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Http;

public sealed class ResilienceHandlerTests : IAsyncLifetime
{
    private WebApplication fake = null!;
    private readonly ConcurrentQueue<DateTimeOffset> hits = new();
    private Func<int, IResult> script = _ => Results.Ok();
    private HttpClient client = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        fake = builder.Build();
        fake.MapPost("/api/send", () =>
        {
            hits.Enqueue(DateTimeOffset.UtcNow);
            return script(hits.Count);
        });
        await fake.StartAsync();

        var collection = new ServiceCollection();
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton<ResiliencePipelines>();
        collection.AddTransient<ResilienceHandler>();
        collection.AddHttpClient("platform", c => c.BaseAddress = new Uri(fake.Urls.First())).AddHttpMessageHandler<ResilienceHandler>();
        services = collection.BuildServiceProvider();
        client = services.GetRequiredService<IHttpClientFactory>().CreateClient("platform");
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await fake.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync() => client.PostAsync(new Uri("/api/send", UriKind.Relative), new StringContent("{\"text\":\"hi\"}"));

    [Fact]
    public async Task Server_errors_are_retried_until_the_platform_answers()
    {
        script = hit => hit <= 2 ? Results.StatusCode(503) : Results.Ok();

        var response = await SendAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, hits.Count);
    }

    [Fact]
    public async Task A_short_retry_after_on_429_is_waited_out_and_retried()
    {
        script = hit => hit == 1 ? new TooManyRequests(1) : Results.Ok();

        var response = await SendAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var times = hits.ToArray();
        Assert.Equal(2, times.Length);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_long_retry_after_is_handed_back_for_the_outbox_to_reschedule()
    {
        script = _ => new TooManyRequests(120);

        var response = await SendAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), ResiliencePipelines.RetryAfterOf(response));
        Assert.Single(hits);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        script = _ => Results.StatusCode(404);

        var response = await SendAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(hits);
    }

    private sealed class TooManyRequests(int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }
}
