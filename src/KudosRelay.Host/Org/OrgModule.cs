using KudosRelay.Core.People;

namespace KudosRelay.Host.Org;

internal static class OrgModule
{
    /// <summary>Org:File → the organisation file imported at start; the import and export handlers for the CLI.</summary>
    public static IHostApplicationBuilder AddOrganisation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OrgFileReader>();   // with the id formats AddSlack() and AddTeams() register
        builder.Services.AddSingleton<ImportOrganisationHandler>();
        builder.Services.AddSingleton<ExportOrganisationHandler>();
        builder.Services.AddOptions<OrgOptions>().BindConfiguration(OrgOptions.Section);
        builder.Services.AddHostedService<OrgFileImportService>();
        return builder;
    }
}

/// <summary>The <c>Org:*</c> configuration section.</summary>
internal sealed class OrgOptions
{
    public const string Section = "Org";

    /// <summary>A YAML or JSON organisation file imported at every start, when set.</summary>
    public string? File { get; set; }
}
