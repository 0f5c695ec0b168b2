namespace KudosRelay.Core.Escalations;

/// <summary>An escalation as the helpdesk sees it: its state, who is involved, its history and the nudges sent.</summary>
internal sealed record EscalationView
{
    public long Id { get; init; }
    public string CaseRef { get; init; } = "";
    public string? CaseUrl { get; init; }
    public string Summary { get; init; } = "";
    public string Status { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public string Department { get; init; } = "";
    public string? Owner { get; init; }
    public string? Note { get; init; }
    public DateTime DueAt { get; init; }
    public DateTime? SnoozedUntil { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public string? Source { get; init; }
    public string? ExternalId { get; init; }
    public DateTime CreatedAt { get; init; }
    public IReadOnlyList<EscalationHistoryEntry> History { get; init; } = [];
    public IReadOnlyList<NudgeSent> Nudges { get; init; } = [];
}

internal sealed record EscalationHistoryEntry
{
    public string Kind { get; init; } = "";
    public string? By { get; init; }
    public string? Note { get; init; }
    public DateTime At { get; init; }
}

internal sealed record NudgeSent
{
    public string Stage { get; init; } = "";
    public string Recipient { get; init; } = "";
    public DateTime SentAt { get; init; }
}
