using Dapper;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Outbox;

/// <summary>Stopping the real host while a platform never answers.</summary>
public sealed class OutboxShutdownTests : IAsyncLifetime
{
    // Bounds a stop that would otherwise wait on the platform for good; never what passes or fails a working build.
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(60);

    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_stop_while_a_platform_never_answers_cancels_the_send_releases_the_lease_and_uses_up_no_attempt()
    {
        var platform = new SilentPlatform();
        var server = await TestServer.StartAsync(database, ["--Outbox:PollInterval=00:00:00.050"],
            builder => builder.Services.AddSingleton<IChatSender>(platform));
        var store = server.Services.GetRequiredService<OutboxStore>();
        var id = (await OutboxTestData.EnqueueAsync(database.Db, store, OutboxTestData.Message("stuck", platform: SilentPlatform.Name)))!.Value;
        await platform.Asked.Task.WaitAsync(Hung);

        // The host's own shutdown timeout is 30 s: a stop that waited for the platform would leave the lease behind.
        await server.DisposeAsync().AsTask().WaitAsync(Hung);

        var row = await database.Db.WithConnectionAsync(connection => connection.QuerySingleAsync<(string Status, string? LeaseOwner, int Attempts)>(
            "SELECT status, lease_owner, attempts FROM outbox_messages WHERE id = @Id", new { Id = id }), CancellationToken.None);
        Assert.Equal((OutboxStatus.Pending, null, 0), row);
        Assert.True(platform.Cancelled);
    }

    /// <summary>A platform that takes the request and never answers, as one that is down behind a load balancer does.</summary>
    private sealed class SilentPlatform : IChatSender
    {
        public const string Name = "silent";

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled { get; private set; }

        public string Platform => Name;

        public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
            return new SendResult.Sent(null);
        }
    }
}
