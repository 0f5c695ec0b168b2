using System.Reflection;
using KudosRelay.Slack.WebApi;
using Xunit;

namespace KudosRelay.Slack.Tests.WebApi;

public sealed class SlackWebApiClientLifetimeTests
{
    [Fact]
    public void The_web_api_client_holds_no_http_client_and_takes_one_from_the_factory_per_call()
    {
        var parameters = typeof(SlackWebApiClient).GetConstructors().Single().GetParameters().Select(p => p.ParameterType).ToList();
        var fields = typeof(SlackWebApiClient).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Select(f => f.FieldType);

        Assert.Contains(typeof(IHttpClientFactory), parameters);
        Assert.DoesNotContain(typeof(HttpClient), parameters);
        Assert.DoesNotContain(typeof(HttpClient), fields);
    }
}
