namespace KudosRelay.Core.Tests.People;

internal static class OrgSamples
{
    // Channels speak Russian unless they say otherwise: Customer Care and its weekly digest speak Bulgarian,
    // Billing and the monthly digest follow the default. Every department gets a heads-up half an hour before
    // the due time, reminders after 2 hours, 1 and 2 working days, and at most 4 nudges a day; Billing waits
    // 4 hours and then a working day, writes to no lead, and gives half a day's grace after "I'm on it".
    public const string Yaml = """
        defaultLocale: ru
        nudges:
          headsUpBefore: 30m
          reminders: [2h, 1d, 2d]
          dailyBudget: 4
        people:
          - email: ana@example.com
            name: Ana Petrova
            timeZone: Europe/Sofia
            locale: bg
            slack: U012ABCDEF
            teams: 6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b
          - email: lead@example.com
            name: Lena Lead
          - email: mihai@example.com
            name: Mihai Ionescu
            timeZone: Europe/Bucharest
            locale: ro
            slack: U0MIHAI
        teams:
          - key: care
            name: Customer Care
            lead: lead@example.com
            members: [ana@example.com, lead@example.com]
            channels: { slack: C012CARE, teams: "19:abc@thread.tacv2" }
            locale: bg
        departments:
          - key: billing
            name: Billing
            lead: mihai@example.com
            members: [mihai@example.com]
            sla: 1h30m
            workingHours: "09:00-18:00"
            workingDays: [Mon, Tue, Wed, Thu, Fri]
            timeZone: Europe/Bucharest
            holidays: [2026-12-25, 2026-12-24]
            channels: { slack: C012BILL }
            nudges:
              reminders: [4h, 1d]
              leadNote: false
              grace: 4h30m
        digests:
          - name: care-weekly
            channel: { slack: C012CARE }
            scope: { team: care }
            variant: team
            day: Friday
            time: "15:00"
            timeZone: Europe/Sofia
            locale: bg
          - name: org-monthly
            channel: { teams: "19:org@thread.tacv2" }
            scope: { organisation: true }
            variant: manager
        """;

    /// <summary>The same organisation as <see cref="Yaml"/>, written as JSON.</summary>
    public const string Json = """
        {
          "defaultLocale": "ru",
          "nudges": { "headsUpBefore": "30m", "reminders": ["2h", "1d", "2d"], "dailyBudget": 4 },
          "people": [
            { "email": "ana@example.com", "name": "Ana Petrova", "timeZone": "Europe/Sofia", "locale": "bg",
              "slack": "U012ABCDEF", "teams": "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b" },
            { "email": "lead@example.com", "name": "Lena Lead" },
            { "email": "mihai@example.com", "name": "Mihai Ionescu", "timeZone": "Europe/Bucharest", "locale": "ro", "slack": "U0MIHAI" }
          ],
          "teams": [
            { "key": "care", "name": "Customer Care", "lead": "lead@example.com",
              "members": ["ana@example.com", "lead@example.com"],
              "channels": { "slack": "C012CARE", "teams": "19:abc@thread.tacv2" }, "locale": "bg" }
          ],
          "departments": [
            { "key": "billing", "name": "Billing", "lead": "mihai@example.com", "members": ["mihai@example.com"],
              "sla": "1h30m", "workingHours": "09:00-18:00", "workingDays": ["Mon", "Tue", "Wed", "Thu", "Fri"],
              "timeZone": "Europe/Bucharest", "holidays": ["2026-12-25", "2026-12-24"], "channels": { "slack": "C012BILL" },
              "nudges": { "reminders": ["4h", "1d"], "leadNote": false, "grace": "4h30m" } }
          ],
          "digests": [
            { "name": "care-weekly", "channel": { "slack": "C012CARE" }, "scope": { "team": "care" },
              "variant": "team", "day": "Friday", "time": "15:00", "timeZone": "Europe/Sofia", "locale": "bg" },
            { "name": "org-monthly", "channel": { "teams": "19:org@thread.tacv2" }, "scope": { "organisation": true }, "variant": "manager" }
          ]
        }
        """;
}
