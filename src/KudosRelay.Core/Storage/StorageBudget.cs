using System.Data.Common;

namespace KudosRelay.Core.Storage;

/// <summary>The <c>Database:WriteBudget:*</c> section: how long a request waits for the database to take its write.</summary>
public sealed class WriteBudgetOptions
{
    public const string Section = "Database:WriteBudget";

    /// <summary>Slack gives up after 3 s: the write must be done, or refused, well inside that.</summary>
    public TimeSpan Chat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A batch of up to 1,000 items; sources wait far longer than chat platforms.</summary>
    public TimeSpan Intake { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The database could not take a request's write within its budget, or refused it (locked, read-only, full,
/// unreachable). Nothing of the request was committed; the caller answers 503 with <c>Retry-After</c>.
/// </summary>
public sealed class StorageUnavailableException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    /// <summary>What a 503 asks the sender to wait: long enough for a lock or a restart to pass, short enough for Slack's retries.</summary>
    public const int RetryAfterSeconds = 5;
}

/// <summary>
/// Runs a request's work against the database within a write budget. When the budget passes, the work's
/// token is cancelled, so work still waiting for the writer's turn never starts and a transaction that
/// finally gets the lock does not commit; the caller is answered at once (a blocked SQLite call cannot be
/// interrupted, so the work runs on a pool thread and is not awaited past the budget).
/// </summary>
public sealed class StorageBudget(WriteBudgetOptions options, TimeProvider clock)
{
    /// <summary>The service key of a <see cref="TimeProvider"/> for budgets alone, when it must differ from the host's.</summary>
    public const string ClockKey = "storage-budget";

    public TimeSpan Chat => options.Chat;

    public TimeSpan Intake => options.Intake;

    public Task<T> ChatAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken requestAborted) =>
        RunAsync(work, options.Chat, requestAborted);

    public Task ChatAsync(Func<CancellationToken, Task> work, CancellationToken requestAborted) =>
        RunAsync(async token =>
        {
            await work(token);
            return true;
        }, options.Chat, requestAborted);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, TimeSpan budget, CancellationToken requestAborted)
    {
        using var timeout = new CancellationTokenSource(budget, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, requestAborted);
        try
        {
            return await Task.Run(() => work(linked.Token), linked.Token).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !requestAborted.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"the database took no write within {budget.TotalSeconds:0.###} s");
        }
        catch (DbException exception)
        {
            throw new StorageUnavailableException($"the database refused the write ({exception.GetType().Name})", exception);
        }
    }
}
