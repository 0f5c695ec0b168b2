namespace KudosRelay.Core.People;

/// <summary>A chat platform's user directory, used to find a person's chat identity from their e-mail.</summary>
public interface IChatDirectory
{
    /// <summary>The platform name, as stored with identities (for example "slack").</summary>
    string Platform { get; }

    /// <summary>The platform's user id for this e-mail address, or null when the platform knows no such user.</summary>
    Task<ChatDirectoryEntry?> FindByEmailAsync(string email, CancellationToken cancellationToken);
}

public sealed record ChatDirectoryEntry(string UserId, string? Workspace);
