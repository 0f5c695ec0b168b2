namespace KudosRelay.Core.Messaging;

public enum ChatTargetKind
{
    /// <summary>A channel or group conversation, addressed by its id on the platform.</summary>
    Channel,

    /// <summary>One person, addressed by their user id on the platform; the sender opens the direct conversation.</summary>
    Person,
}

/// <summary>
/// Where a message goes. <paramref name="Platform"/> is the name of a chat platform as stored with
/// identities and channels (for example "slack"); features copy it from data and never branch on it.
/// </summary>
public sealed record ChatTarget(string Platform, ChatTargetKind Kind, string Address, string? Workspace = null);
