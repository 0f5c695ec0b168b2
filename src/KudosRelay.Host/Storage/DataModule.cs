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
        builder.Services.AddOptions<WriteBudgetOptions>().BindConfiguration(WriteBudgetOptions.Section)
            .Validate(budget => budget.Chat > TimeSpan.Zero && budget.Intake > TimeSpan.Zero, "Database:WriteBudget:Chat and Database:WriteBudget:Intake must be positive time spans (00:00:02).")
            .ValidateOnStart();
        // The budget's clock may be given apart from the host's (tests run out a budget without waiting for it).
        builder.Services.AddSingleton(services => new StorageBudget(
            services.GetRequiredService<IOptions<WriteBudgetOptions>>().Value,
            services.GetKeyedService<TimeProvider>(StorageBudget.ClockKey) ?? services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<DatabaseReadiness>();
        builder.Services.AddHealthChecks();
        builder.Services.AddHostedService<MigrateOnStartService>();
        return builder;
    }
}
