using KudosRelay.Host.Escalations;
using KudosRelay.Host.Health;
using KudosRelay.Host.Http;
using KudosRelay.Host.Intake;
using KudosRelay.Host.Kudos;
using KudosRelay.Host.Messages;
using KudosRelay.Host.Org;
using KudosRelay.Host.Outbox;
using KudosRelay.Host.Storage;
using KudosRelay.Teams;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace KudosRelay.Host;

/// <summary>Builds the KudosRelay web application; <c>serve</c>, the other commands and the tests all start here.</summary>
public static class KudosRelayServer
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The slim builder leaves out what this server does not use (IIS integration, HTTP/3 over QUIC, the Debug
        // and EventSource log providers, AllowedHosts filtering, regex route constraints): those assemblies and their
        // start-up code cost about 2 MB of resident memory under bench/teams. HTTPS endpoints from Kestrel
        // configuration stay available for deployments without a TLS-terminating proxy.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships beside the executable; relative paths such as ./data still follow the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelHttpsConfiguration();
        AddConfigurationSources(builder.Configuration);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.AddKudosRelayCore();
        builder.AddMessages();           // Messages:Folder → operator's templates; every template passes the tone guard at start
        builder.AddKudosRelayData();     // Database:* → dialect, connections, migrator
        builder.AddOutboundHttp();       // every outbound HttpClient: retries, breaker and attempt timeout per host
        builder.AddOrganisation();       // Org:File → imported at start
        builder.AddKudos();              // Kudos:* → scoring, redaction, routing, review, peer kudos
        builder.AddFeedbackIntake();     // Intake:Sources:* → signed POST /api/feedback
        builder.AddEscalations();        // signed /api/escalations: raise, show, resolve, cancel
        builder.AddEscalationNudges();   // Escalations:SweepInterval → the nudge sweeper; GET /api/escalations/{id}/preview
        builder.AddEscalationChat();     // answers on nudges, the /escalate form
        builder.AddOutbox();             // Outbox:* → store, dispatcher, worker
        builder.AddSlack();              // Slack:* → signed endpoints, Web API client, sender (nothing without keys)
        builder.AddTeams();              // Teams:* → Bot Framework endpoint, Connector client, sender (nothing without keys)
        builder.AddConsoleSenderWhenNoPlatform();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHealth();
        app.MapFeedbackIntake();
        app.MapEscalations();
        app.MapEscalationNudges();
        app.MapSlack();
        app.MapTeams();
        return app;
    }

    /// <summary>
    /// Defaults sit below appsettings.json; <c>KudosRelay__Section__Key</c> environment variables sit
    /// just below the command line, so an explicit argument always wins.
    /// </summary>
    private static void AddConfigurationSources(ConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Urls"] = DefaultUrls },
        });
        var commandLine = sources.ToList().FindIndex(source => source is CommandLineConfigurationSource);
        var prefixed = new EnvironmentVariablesConfigurationSource { Prefix = "KudosRelay__" };
        if (commandLine < 0)
            sources.Add(prefixed);
        else
            sources.Insert(commandLine, prefixed);
    }
}
