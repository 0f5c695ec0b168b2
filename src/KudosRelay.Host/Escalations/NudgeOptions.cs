namespace KudosRelay.Host.Escalations;

/// <summary>The sweeper's keys of the <c>Escalations:*</c> configuration section.</summary>
internal sealed class NudgeOptions : ISelfCheckingOptions
{
    public const string Section = "Escalations";

    /// <summary>How often the sweeper looks for escalations whose next nudge has come.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run the sweeper in this instance (several may: each nudge is sent once whatever the number).</summary>
    public bool SweeperEnabled { get; set; } = true;

    public IEnumerable<string> Problems()
    {
        if (SweepInterval < TimeSpan.FromMilliseconds(10) || SweepInterval > TimeSpan.FromHours(1))
            yield return $"Escalations:SweepInterval must be between 00:00:00.010 and 01:00:00, not {SweepInterval}.";
    }
}
