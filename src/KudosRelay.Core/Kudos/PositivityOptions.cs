namespace KudosRelay.Core.Kudos;

/// <summary>A value at or above <paramref name="PositiveAtLeast"/> is praise; below <paramref name="NegativeBelow"/> it is a complaint; between is borderline.</summary>
internal sealed record ScaleThresholds(double PositiveAtLeast, double NegativeBelow);

/// <summary>Bound from <c>Kudos:Positivity</c>. Thumbs need no thresholds: up is positive, down negative.</summary>
internal sealed record PositivityOptions
{
    public const string Section = "Kudos:Positivity";

    public static PositivityOptions Default { get; } = new();

    /// <summary>CSAT 4–5 positive, 1–2 negative.</summary>
    public ScaleThresholds Csat5 { get; init; } = new(4, 3);

    /// <summary>The NPS promoter/detractor split: 9–10 positive, 0–6 negative.</summary>
    public ScaleThresholds Nps10 { get; init; } = new(9, 7);

    public ScaleThresholds Stars5 { get; init; } = new(4, 3);

    public ScaleThresholds Percent { get; init; } = new(80, 60);

    /// <summary>Lexicon points: one plain "thanks" (+2) is praise, one "not bad" (+1) just passes.</summary>
    public double TextPositiveAtLeast { get; init; } = 1;

    public double TextNegativeAtMost { get; init; } = -1;

    /// <summary>How many words after "not" a sentiment word may follow and still be negated ("nu a fost rău").</summary>
    public int NegationWindow { get; init; } = 3;

    /// <summary>Problems named by the key as an operator writes it; empty when the options are usable.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, t, min, max) in new[] { ("Csat5", Csat5, 1d, 5d), ("Nps10", Nps10, 0d, 10d), ("Stars5", Stars5, 1d, 5d), ("Percent", Percent, 0d, 100d) })
        {
            if (t.PositiveAtLeast < min || t.PositiveAtLeast > max)
                yield return $"{Section}:{name}:PositiveAtLeast must be between {min} and {max}";
            if (t.NegativeBelow > t.PositiveAtLeast)
                yield return $"{Section}:{name}:NegativeBelow must not be above {Section}:{name}:PositiveAtLeast";
        }
        if (TextNegativeAtMost >= TextPositiveAtLeast)
            yield return $"{Section}:TextNegativeAtMost must be below {Section}:TextPositiveAtLeast";
        if (NegationWindow is < 1 or > 10)
            yield return $"{Section}:NegationWindow must be between 1 and 10";
    }
}
