using KudosRelay.Core.Language;

namespace KudosRelay.Core.Tone;

/// <summary>
/// Runs the tone guard over every text of a message catalogue, each with its own language's rules. Button labels
/// are imperatives by nature ("Pass it on", "Snooze"), so a label is exempt from the <c>bare-imperative</c> rule
/// only, never from shouting, blame or the rest. A label is a key whose last segment is <c>button</c>,
/// <c>label</c> or <c>placeholder</c> (<c>dm.pass-it-on.button</c>, <c>dm.pick-colleague.placeholder</c>).
/// </summary>
internal static class TemplateCheck
{
    private static readonly string[] LabelSegments = ["button", "label", "placeholder"];

    public static bool IsLabel(string key) => LabelSegments.Contains(key[(key.LastIndexOf('.') + 1)..], StringComparer.Ordinal);

    /// <summary>
    /// Every flagged phrase in <paramref name="catalogue"/>, by feature, language and key; with <paramref name="operatorsOnly"/>,
    /// only in the texts an operator's folder gave it (the shipped ones are kept passing by a test).
    /// </summary>
    public static IReadOnlyList<TemplateProblem> Problems(MessageCatalogue catalogue, ToneGuard guard, bool operatorsOnly = false)
    {
        var problems = new List<TemplateProblem>();
        foreach (var feature in catalogue.Features)
        {
            foreach (var language in catalogue.Languages)
            {
                if ((operatorsOnly && !catalogue.OperatorFiles.Contains((feature, language))) || catalogue.Entries(feature, language) is not { } entries)
                    continue;
                foreach (var (key, entry) in entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    if ((feature == MessageCatalogue.SharedFeature && key == MessageCatalogue.PluralRuleKey) || (operatorsOnly && entry.Source is null))
                        continue;
                    foreach (var text in entry.AllTexts)
                    {
                        foreach (var flag in guard.Check(text, language).Flags)
                        {
                            if (flag.Rule != ToneRules.BareImperative || !IsLabel(key))
                                problems.Add(new TemplateProblem(entry.Source ?? $"{feature}/Messages/{language}.yaml (shipped)", feature, key, language, text, flag));
                        }
                    }
                }
            }
        }
        return problems;
    }
}

/// <summary>A flagged phrase in one catalogue text: the file it came from (an operator's path, or the shipped file), its feature, key and language.</summary>
internal sealed record TemplateProblem(string File, string Feature, string Key, string Language, string Text, ToneFlag Flag)
{
    public override string ToString() =>
        $"{File}: {Key} ({Language}): “{Flag.Phrase}” is {Flag.Rule}" + (Flag.Suggestion.Length > 0 ? $"; try “{Flag.Suggestion}”" : "; leave it out");
}
