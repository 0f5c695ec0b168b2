using KudosRelay.Core.Conversations;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Kudos;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Kudos;

/// <summary>The <c>Kudos:*</c> section as an operator writes it.</summary>
internal sealed class KudosSettings : ISelfCheckingOptions
{
    public const string Section = "Kudos";

    public ReviewSettings Review { get; set; } = new();

    /// <summary><c>first-name</c> (default) or <c>anonymous</c>.</summary>
    public string CustomerNaming { get; set; } = "first-name";

    public bool StoreOriginalText { get; set; }

    public PositivityOptions Positivity { get; set; } = PositivityOptions.Default;

    public IEnumerable<string> Problems()
    {
        if (!Redactor.TryParseNaming(CustomerNaming, out _))
            yield return $"Kudos:CustomerNaming must be 'first-name' or 'anonymous', not '{CustomerNaming}'.";
        foreach (var problem in Positivity.Problems())
            yield return problem + ".";
    }

    public KudosOptions ToOptions() => new()
    {
        ReviewEnabled = Review.Enabled,
        CustomerNaming = Redactor.TryParseNaming(CustomerNaming, out var naming) ? naming : Core.Kudos.CustomerNaming.FirstName,
        StoreOriginalText = StoreOriginalText,
        Positivity = Positivity,
    };
}

internal sealed class ReviewSettings
{
    public bool Enabled { get; set; }
}

internal static class KudosModule
{
    /// <summary>Kudos:* → feedback scoring, redaction, routing, the review queue and peer kudos.</summary>
    public static IHostApplicationBuilder AddKudos(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<KudosSettings>(KudosSettings.Section);
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<KudosSettings>>().Value.ToOptions());
        builder.Services.AddSingleton<FeedbackStore>();
        builder.Services.AddSingleton<KudosStore>();
        builder.Services.AddSingleton<EscalationStore>();
        builder.Services.AddSingleton<KudosRelayer>();
        builder.Services.AddSingleton<OpenSummaryStore>();
        builder.Services.AddSingleton<SubmitFeedbackHandler>();
        builder.Services.AddSingleton<GivePeerKudosHandler>();
        builder.Services.AddSingleton<InboundRequestStore>();
        builder.Services.AddSingleton<IButtonHandler, ReviewQueueHandler>();
        builder.Services.AddSingleton<IButtonHandler, PassItOnHandler>();
        builder.Services.AddSingleton<IButtonHandler, ShareWithTeamHandler>();
        builder.Services.AddSingleton<IButtonHandler, ThankBackHandler>();
        builder.Services.AddSingleton<IButtonHandler, SeeSummaryHandler>();
        builder.Services.AddSingleton<RecentPraise>();
        return builder;
    }
}
