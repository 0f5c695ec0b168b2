// PLACEHOLDER until branch `tone` (Core/Tone/ToneGuard.cs) is merged: delete this file when merging it.
namespace KudosRelay.Core.Tone;
internal sealed class ToneGuard {
    public static ToneGuard Shipped { get; } = new();
    public ToneVerdict Check(string text, string? locale) => text.Contains("ASAP") ? new ToneVerdict([new ToneFlag("ASAP", "pressure", "when you have a moment", 0, 4)]) { SofterRewrite = text.Replace("ASAP!!", "when you have a moment.") } : new ToneVerdict([]) { SofterRewrite = text };
}
internal sealed record ToneVerdict(IReadOnlyList<ToneFlag> Flags) { public bool IsFine => Flags.Count == 0; public string SofterRewrite { get; init; } = ""; }
internal sealed record ToneFlag(string Phrase, string Rule, string Suggestion, int Start, int Length);
