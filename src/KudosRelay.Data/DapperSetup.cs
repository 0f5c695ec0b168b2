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
