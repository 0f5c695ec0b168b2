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

    public static async Task<TestServer> StartAsync(params string[] configuration)
    {
        var app = KudosRelayServer.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. configuration]);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new TestServer(app, client);
    }

    public static Task<TestServer> StartAsync(TestDatabase database, params string[] configuration) =>
        StartAsync([$"--Database:Provider={database.Dialect}", $"--Database:ConnectionString={database.ConnectionString}", .. configuration]);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
