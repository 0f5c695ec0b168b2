using KudosRelay.Core.Storage;
using KudosRelay.Data;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Storage;

internal static class DataModule
{
    /// <summary>Database:* → dialect, connections, migrator, and migration at start when configured.</summary>
    public static IHostApplicationBuilder AddKudosRelayData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return DatabaseConnections.Create(options.Dialect, options.EffectiveConnectionString);
        });
        builder.Services.AddSingleton(services => new Migrator(services.GetRequiredService<Db>(), services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<DatabaseReadiness>();
        builder.Services.AddHealthChecks();
        builder.Services.AddHostedService<MigrateOnStartService>();
        return builder;
    }
}
