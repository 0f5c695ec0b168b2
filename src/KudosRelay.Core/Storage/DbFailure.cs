namespace KudosRelay.Core.Storage;

/// <summary>
/// What a database error means to the code that ran the statement. KudosRelay.Data tells them apart by
/// each provider's error numbers; to Core every other error is <see cref="Other"/>.
/// </summary>
public enum DbFailure
{
    Other,

    /// <summary>A unique key refused the row: someone stored the same key first.</summary>
    DuplicateKey,

    /// <summary>The transaction lost to another one (SQL Server's deadlock victim, SQLite busy) and may run again.</summary>
    Conflict,
}
