using System.Data.Common;
using Dapper;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Escalations;

/// <summary>The departments escalations go to: who leads them, where they talk and what language they speak.</summary>
internal static class EscalationDepartments
{
    // A department speaks its own locale, else the organisation's default as it stands now.
    private const string Columns =
        $"d.id AS Id, d.department_key AS DepartmentKey, d.name AS Name, d.lead_person_id AS LeadPersonId, COALESCE(d.locale, {OrgSettings.DefaultLocaleSql}) AS Locale";

    public static Task<EscalationDepartment?> FindByKeyAsync(DbTransaction transaction, string key, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<EscalationDepartment>(new CommandDefinition(
            $"SELECT {Columns} FROM departments d WHERE LOWER(d.department_key) = LOWER(@Key)",
            new { Key = key }, transaction, cancellationToken: cancellationToken));

    public static Task<EscalationDepartment?> GetAsync(DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<EscalationDepartment>(new CommandDefinition(
            $"SELECT {Columns} FROM departments d WHERE d.id = @Id",
            new { Id = id }, transaction, cancellationToken: cancellationToken));

    /// <summary>The department's channels, one per platform.</summary>
    public static async Task<IReadOnlyList<ChatChannel>> ChannelsAsync(DbTransaction transaction, long departmentId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<ChatChannel>(new CommandDefinition(
            "SELECT platform AS Platform, channel_id AS ChannelId FROM department_channels WHERE department_id = @Id ORDER BY platform",
            new { Id = departmentId }, transaction, cancellationToken: cancellationToken))).ToList();
}

/// <summary>A row of <c>departments</c> as escalations need it.</summary>
internal sealed record EscalationDepartment
{
    public long Id { get; init; }
    public string DepartmentKey { get; init; } = "";
    public string Name { get; init; } = "";
    public long? LeadPersonId { get; init; }
    public string Locale { get; init; } = OrgDefaults.Locale;
}
