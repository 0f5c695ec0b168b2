using System.Net;
using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Messaging;

public sealed class RetryAfterHeaderTests
{
    private readonly ManualClock clock = new();

    [Fact]
    public void Seconds_are_read_as_a_wait()
    {
        using var response = Response("120");

        Assert.Equal(TimeSpan.FromSeconds(120), RetryAfterHeader.Of(response, clock));
    }

    [Fact]
    public void A_date_is_measured_from_the_injected_clock()
    {
        using var response = Response(clock.GetUtcNow().AddSeconds(90).ToString("R"));

        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Of(response, clock));
    }

    [Fact]
    public void A_date_in_the_past_means_no_wait_rather_than_a_negative_one()
    {
        using var response = Response(clock.GetUtcNow().AddMinutes(-5).ToString("R"));

        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Of(response, clock));
    }

    [Fact]
    public void No_header_means_the_server_did_not_say()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Null(RetryAfterHeader.Of(response, clock));
    }

    [Fact]
    public void A_header_that_is_neither_seconds_nor_a_date_is_not_a_wait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "soon");

        Assert.Null(RetryAfterHeader.Of(response, clock));
    }

    private static HttpResponseMessage Response(string retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", retryAfter);
        return response;
    }
}
