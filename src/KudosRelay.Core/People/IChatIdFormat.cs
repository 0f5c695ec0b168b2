namespace KudosRelay.Core.People;

/// <summary>
/// How one chat platform writes the ids an organisation file gives: a person's user id and a channel id. Each adapter
/// registers its own, whether or not its platform is configured (an org file is checked either way), so the org file
/// is read without Core knowing any platform's formats.
/// </summary>
public interface IChatIdFormat
{
    /// <summary>The platform's name, as an org file field and as stored with identities and channels (for example "slack").</summary>
    string Platform { get; }

    /// <summary>
    /// Null when <paramref name="value"/> is a user id of this platform; otherwise what is wrong, worded to follow the
    /// quoted value in an error (<c>'ana' is not a … user id (…)</c>), naming the form expected.
    /// </summary>
    string? UserIdProblem(string value);

    /// <summary>Null when <paramref name="value"/> is a channel id of this platform; otherwise what is wrong, as for <see cref="UserIdProblem"/>.</summary>
    string? ChannelIdProblem(string value);
}
