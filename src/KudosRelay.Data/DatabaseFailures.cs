using KudosRelay.Core.Storage;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KudosRelay.Data;

/// <summary>What each provider's error numbers mean to the stores (<see cref="DbFailure"/>).</summary>
public static class DatabaseFailures
{
    public static DbFailure Classify(System.Data.Common.DbException exception) => exception switch
    {
        SqlException sql => Classify(sql),
        SqliteException sqlite => Classify(sqlite),
        _ => DbFailure.Other,
    };

    private static DbFailure Classify(SqlException exception)
    {
        // One exception may carry several messages; any of these decides.
        foreach (SqlError error in exception.Errors)
        {
            switch (error.Number)
            {
                case 1205: // chosen as the deadlock victim; the server rolled the transaction back
                    return DbFailure.Conflict;
                case 2601: // duplicate key row in a unique index
                case 2627: // violation of a PRIMARY KEY or UNIQUE constraint
                    return DbFailure.DuplicateKey;
            }
        }
        return DbFailure.Other;
    }

    private static DbFailure Classify(SqliteException exception) => exception switch
    {
        { SqliteExtendedErrorCode: raw.SQLITE_CONSTRAINT_UNIQUE or raw.SQLITE_CONSTRAINT_PRIMARYKEY } => DbFailure.DuplicateKey,
        // Another process held the write lock past the busy timeout.
        { SqliteErrorCode: raw.SQLITE_BUSY or raw.SQLITE_LOCKED } => DbFailure.Conflict,
        _ => DbFailure.Other,
    };
}
