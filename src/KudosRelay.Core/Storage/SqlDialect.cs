namespace KudosRelay.Core.Storage;

/// <summary>The databases KudosRelay speaks. Stores switch on this where their SQL differs.</summary>
public enum SqlDialect
{
    Sqlite,
    SqlServer,
}
