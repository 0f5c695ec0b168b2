using KudosRelay.Core.Messaging;
using Xunit;

namespace KudosRelay.Core.Tests.Messaging;

public sealed class IdempotentRequestTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void Only_idempotent_methods_are_safe_to_repeat_unless_marked(string method, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://127.0.0.1/");

        Assert.Equal(expected, IdempotentRequest.Is(request));
    }

    [Fact]
    public void A_post_marked_as_idempotent_is_safe_to_repeat()
    {
        using var request = IdempotentRequest.Mark(new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/token"));

        Assert.True(IdempotentRequest.Is(request));
    }
}
