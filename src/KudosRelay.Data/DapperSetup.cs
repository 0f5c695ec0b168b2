using System.Data;
using Dapper;

namespace KudosRelay.Data;

/// <summary>
/// Dapper type handlers shared by every store. SQLite hands timestamps back as text without a kind;
/// all timestamps in KudosRelay are UTC, so they are read back as such. Timestamps are sent as
/// datetime2, nullable or not: Dapper's own map sends DateTime as datetime, which SQL Server rounds to
/// 1/300 s and cannot hold before 1753, while the prepared batch path (PreparedRows) sends datetime2.
/// </summary>
internal static class DapperSetup
{
    private static int registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
            return;
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
        SqlMapper.AddTypeMap(typeof(DateTime), DbType.DateTime2);
        SqlMapper.AddTypeMap(typeof(DateTime?), DbType.DateTime2);
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            parameter.DbType = DbType.DateTime2;
            parameter.Value = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        }

        public override DateTime Parse(object value) => value switch
        {
            DateTime dateTime => DateTime.SpecifyKind(dateTime, DateTimeKind.Utc),
            string text when StoredTimestamp.TryParse(text, out var stored) => stored,
            string text => DateTime.SpecifyKind(
                DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal),
                DateTimeKind.Utc),
            _ => throw new DataException($"cannot read a timestamp from a {value.GetType().Name}"),
        };
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value.ToDateTime(TimeOnly.MinValue);
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateTime dateTime => DateOnly.FromDateTime(dateTime),
            string text => DateOnly.FromDateTime(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new DataException($"cannot read a date from a {value.GetType().Name}"),
        };
    }
}

/// <summary>
/// The form SQLite timestamps are stored in (<c>yyyy-MM-dd HH:mm:ss</c> and up to seven decimals, UTC), read without the
/// general parser, which took most of the time of reading a few thousand rows; anything else is left to it.
/// </summary>
internal static class StoredTimestamp
{
    public static bool TryParse(string text, out DateTime value)
    {
        value = default;
        if (text.Length < 19 || text.Length == 20 || text.Length > 27 || text[4] != '-' || text[7] != '-' || text[10] is not (' ' or 'T') || text[13] != ':' || text[16] != ':'
            || (text.Length > 19 && text[19] != '.'))
            return false;
        if (!TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day)
            || !TryDigits(text, 11, 2, out var hour) || !TryDigits(text, 14, 2, out var minute) || !TryDigits(text, 17, 2, out var second))
            return false;
        var ticks = 0;
        if (text.Length > 19 && !TryDigits(text, 20, text.Length - 20, out ticks))
            return false;
        for (var missing = 27 - text.Length; missing > 0 && text.Length > 19; missing--)
            ticks *= 10;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
        return true;
    }

    private static bool TryDigits(string text, int start, int length, out int number)
    {
        number = 0;
        for (var index = start; index < start + length; index++)
        {
            if (!char.IsAsciiDigit(text[index]))
                return false;
            number = number * 10 + (text[index] - '0');
        }
        return true;
    }
}
