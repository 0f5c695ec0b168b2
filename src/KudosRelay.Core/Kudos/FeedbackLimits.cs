namespace KudosRelay.Core.Kudos;

/// <summary>
/// What a <c>feedback_items</c> row can hold: the lengths of its text columns, as the SQL Server migrations
/// declare them (a test holds the two together), and the earliest time it accepts. SQLite ignores lengths
/// while SQL Server refuses the whole statement (error 2628), so intake refuses a longer value item by item,
/// the same on both databases, instead of letting one item fail a batch on one of them.
/// </summary>
internal static class FeedbackLimits
{
    /// <summary>The longest value of each column, by column name.</summary>
    public static readonly IReadOnlyDictionary<string, int> ColumnLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["source"] = 200,
        ["external_id"] = 200,
        ["agent_email"] = 320,
        ["case_ref"] = 200,
        ["language"] = 200,
        ["rating_scale"] = 200,
        ["customer_name"] = 200,
        ["status"] = 200,
        ["relayed_in"] = 100,
    };

    public static int ExternalId => ColumnLengths["external_id"];

    public static int AgentEmail => ColumnLengths["agent_email"];

    public static int CaseRef => ColumnLengths["case_ref"];

    public static int Language => ColumnLengths["language"];

    public static int CustomerName => ColumnLengths["customer_name"];

    /// <summary>
    /// datetime2 would store 1700-01-01, but no customer wrote feedback then: such a date is a source's
    /// placeholder or a parsing mistake, and SQL Server's older datetime type could not hold it at all.
    /// </summary>
    public static readonly DateTime EarliestReceivedAt = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
