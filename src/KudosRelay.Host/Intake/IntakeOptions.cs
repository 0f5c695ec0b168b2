namespace KudosRelay.Host.Intake;

/// <summary>The <c>Intake:*</c> section: one shared secret per feedback source (survey tool, helpdesk).</summary>
internal sealed class IntakeOptions : ISelfCheckingOptions
{
    public const string Section = "Intake";

    /// <summary>Shorter secrets are guessable by brute force against a signature oracle.</summary>
    internal const int MinimumSecretLength = 16;

    public Dictionary<string, IntakeSource> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Problems()
    {
        foreach (var (name, source) in Sources)
        {
            if (string.IsNullOrWhiteSpace(source.Secret))
                yield return $"Intake:Sources:{name}:Secret is required.";
            else if (source.Secret.Length < MinimumSecretLength)
                yield return $"Intake:Sources:{name}:Secret must be at least {MinimumSecretLength} characters.";
        }
    }
}

internal sealed class IntakeSource
{
    public string Secret { get; set; } = "";
}
