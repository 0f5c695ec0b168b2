using KudosRelay.Testing;
using Microsoft.AspNetCore.Builder;

namespace KudosRelay.Host.Tests;

/// <summary>The real host on a free loopback port, in this process, against a test database.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestServer(WebApplication app, HttpClient client)
    {
        this.app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public static Task<TestServer> StartAsync(params string[] configuration) => StartAsync(configuration, null);

    public static async Task<TestServer> StartAsync(string[] configuration, Action<WebApplicationBuilder>? configure)
    {
        var app = KudosRelayServer.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. configuration], configure);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new TestServer(app, client);
    }

    public static Task<TestServer> StartAsync(TestDatabase database, params string[] configuration) =>
        StartAsync(database, configuration, null);

    public static Task<TestServer> StartAsync(TestDatabase database, string[] configuration, Action<WebApplicationBuilder>? configure) =>
        StartAsync([$"--Database:Provider={database.Dialect}", $"--Database:ConnectionString={database.ConnectionString}", .. configuration], configure);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
