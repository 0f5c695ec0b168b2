namespace KudosRelay.Core.Kudos;

/// <summary>How customer feedback becomes kudos: thresholds, review, naming and what is kept.</summary>
internal sealed record KudosOptions
{
    public PositivityOptions Positivity { get; init; } = new();

    /// <summary>Borderline items wait for a team lead's Approve / Decline instead of being dropped.</summary>
    public bool ReviewEnabled { get; init; }

    public CustomerNaming CustomerNaming { get; init; } = CustomerNaming.FirstName;

    /// <summary>Keep the unredacted text. Off by default: only the redacted text is needed to relay and count.</summary>
    public bool StoreOriginalText { get; init; }
}
