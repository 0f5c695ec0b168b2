namespace KudosRelay.Core.Tone;

/// <summary>What the tone guard found in a text: nothing (<see cref="IsFine"/>), or each flagged phrase and a softer whole text.</summary>
internal sealed record ToneVerdict(IReadOnlyList<ToneFlag> Flags)
{
    public ToneVerdict(IReadOnlyList<ToneFlag> flags, string softerRewrite)
        : this(flags)
    {
        SofterRewrite = softerRewrite;
    }

    public bool IsFine => Flags.Count == 0;

    /// <summary>The whole text with each flagged phrase softened; the text itself when it is fine.</summary>
    public string SofterRewrite { get; } = "";
}

/// <summary>
/// One flagged phrase: where it is in the text (<paramref name="Start"/>, <paramref name="Length"/>), the rule
/// (<c>bare-imperative</c>, <c>obligation</c>, <c>pressure</c>, <c>blame</c>, <c>boss-threat</c>, <c>shouting</c>,
/// <c>repeated-punctuation</c>) and what to write instead (empty: leave it out). A standing-alone order is flagged
/// as its whole clause, and its suggestion is that clause as a request ("Fix the refund." → "Could you fix the refund?").
/// </summary>
internal sealed record ToneFlag(string Phrase, string Rule, string Suggestion, int Start, int Length);
