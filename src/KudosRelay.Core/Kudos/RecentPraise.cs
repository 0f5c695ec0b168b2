using System.Data.Common;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

/// <summary>"Recent praise for you" on a person's home: the newest customer praise that reached them in the last 30 days.</summary>
internal sealed class RecentPraise(FeedbackStore feedback, TimeProvider clock)
{
    /// <summary>About a month: long enough that a quiet spell still shows something, short enough to stay recent.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>A glance, not a list: the full lists are behind each summary's button.</summary>
    public const int Shown = 3;

    /// <summary>The section's blocks; none when nothing reached the person lately (a home does not count zeros).</summary>
    public async Task<IReadOnlyList<MessageBlock>> BlocksAsync(DbTransaction transaction, Person person, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (count, newest) = await feedback.RecentPraiseAsync(transaction, person.Id, (now - Window).UtcDateTime, Shown, cancellationToken);
        return count == 0 ? [] : KudosMessages.RecentPraise(person, count, newest, now);
    }
}
