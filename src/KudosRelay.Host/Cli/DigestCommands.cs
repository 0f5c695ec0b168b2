using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Digests;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Host.Outbox;
using KudosRelay.Slack.Rendering;
using KudosRelay.Teams.Rendering;

namespace KudosRelay.Host.Cli;

internal static class DigestCommands
{
    public static Command Create(IReadOnlyList<string> configuration)
    {
        var digest = new Command("digest", "List, subscribe, preview and send the weekly appreciation digests.");
        digest.Subcommands.Add(List(configuration));
        digest.Subcommands.Add(Subscribe(configuration));
        digest.Subcommands.Add(Unsubscribe(configuration));
        digest.Subcommands.Add(Preview(configuration));
        digest.Subcommands.Add(Send(configuration));
        return digest;
    }

    private static Command List(IReadOnlyList<string> configuration)
    {
        var command = new Command("list", "List digest subscriptions with their schedule and the last week sent.");
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var store = app.Services.GetRequiredService<DigestStore>();
            var subscriptions = await store.ListAsync(cancellationToken);
            var latest = await store.LatestRunWeeksAsync(cancellationToken);
            if (subscriptions.Count == 0)
            {
                Console.WriteLine("No digest subscriptions (add one with 'kudosrelay digest subscribe' or in the organisation file).");
                return KudosRelayCli.Ok;
            }
            Console.WriteLine($"{"NAME",-24}  {"CHANNEL",-28}  {"SCOPE",-24}  {"VARIANT",-7}  {"WHEN",-30}  {"LOCALE",-6}  LAST SENT");
            foreach (var s in subscriptions)
            {
                var scope = s.ScopeKey is { } key ? $"{s.ScopeKind}:{key}" : s.ScopeKind;
                var when = $"{OrgValues.ShortDay(OrgValues.FromIsoDayNumber(s.IsoDay))} {s.LocalTime} {s.TimeZone}";
                var last = latest.GetValueOrDefault(s.Id) ?? "—";
                Console.WriteLine($"{s.Name,-24}  {$"{s.Platform}:{s.ChannelId}",-28}  {scope,-24}  {s.Variant,-7}  {when,-30}  {s.Locale,-6}  {last}{(s.Enabled ? "" : "  (paused)")}");
            }
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Subscribe(IReadOnlyList<string> configuration)
    {
        var name = new Argument<string>("name") { Description = "A name for the subscription, unique in the organisation." }.RefusingUnknownOptions();
        var channel = new Option<string>("--channel") { Description = "Where to post: slack:C… or teams:19:….", Required = true };
        var team = new Option<string?>("--team") { Description = "The digest of one team (its key)." };
        var department = new Option<string?>("--department") { Description = "The digest of one department (its key)." };
        var organisation = new Option<bool>("--organisation") { Description = "The digest of the whole organisation." };
        var variant = new Option<string>("--variant") { Description = "team, or manager for per-person counts and trends.", DefaultValueFactory = _ => OrgDigestVariants.Team };
        variant.AcceptOnlyFromAmong(OrgDigestVariants.Team, OrgDigestVariants.Manager);
        var day = new Option<string>("--day") { Description = "The day it is posted, e.g. Friday or Fri.", DefaultValueFactory = _ => OrgDefaults.DigestDay.ToString() };
        var time = new Option<string>("--time") { Description = "The local time it is posted, HH:mm.", DefaultValueFactory = _ => OrgValues.FormatTime(OrgDefaults.DigestTime) };
        var zone = new Option<string>("--time-zone") { Description = "An IANA time zone, e.g. Europe/Sofia.", DefaultValueFactory = _ => OrgDefaults.TimeZone };
        var locale = new Option<string?>("--locale") { Description = "The digest's language (en, bg, ru, ro); the organisation's default when left out." };
        var command = new Command("subscribe", "Post a weekly digest of a team, a department or the organisation in a channel.")
        {
            name, channel, team, department, organisation, variant, day, time, zone, locale,
        };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var problems = new List<string>();
            var (platform, channelId) = ParseChannel(result.GetValue(channel)!, app.Services.GetServices<IChatIdFormat>(), problems);
            var scopes = new[] { ("team", result.GetValue(team)), ("department", result.GetValue(department)), ("organisation", result.GetValue(organisation) ? "" : null) }
                .Where(scope => scope.Item2 is not null).ToList();
            if (scopes.Count != 1)
                problems.Add("Name exactly one scope: --team KEY, --department KEY or --organisation.");
            var parsedDay = OrgValues.ParseDay(result.GetValue(day)!);
            if (parsedDay is null)
                problems.Add($"--day: '{result.GetValue(day)}' is not a day of the week (Monday or Mon …).");
            var minutes = OrgValues.ParseClockMinutes(result.GetValue(time)!, allowEndOfDay: false);
            if (minutes is null)
                problems.Add($"--time: '{result.GetValue(time)}' is not a time of day as HH:mm.");
            var timeZone = result.GetValue(zone)!;
            if (!OrgValues.IsIanaTimeZone(timeZone))
                problems.Add($"--time-zone: '{timeZone}' is not a known IANA time zone (e.g. Europe/Sofia).");
            var language = result.GetValue(locale);
            if (language is not null && !OrgValues.IsLocale(language))
                problems.Add($"--locale: '{language}' is not a known locale (e.g. en, bg, ru, ro).");
            if (problems.Count > 0)
                return Refuse(problems, KudosRelayCli.BadUsage);

            var store = app.Services.GetRequiredService<DigestStore>();
            var (scopeKind, scopeKey) = scopes[0];
            if (scopeKind != OrgScopeKinds.Organisation && !await store.ScopeExistsAsync(scopeKind, scopeKey!, cancellationToken))
                return Refuse([$"--{scopeKind}: there is no {scopeKind} with the key '{scopeKey}' (see 'kudosrelay org export')."], KudosRelayCli.Failed);
            var subscriptionName = result.GetValue(name)!.Trim();
            if (subscriptionName.Length == 0)
                return Refuse(["The name must not be empty."], KudosRelayCli.BadUsage);
            if (await store.FindAsync(subscriptionName, cancellationToken) is not null)
                return Refuse([$"A digest named '{subscriptionName}' exists already; unsubscribe it first or choose another name."], KudosRelayCli.Failed);

            var digest = new OrgDigest
            {
                Name = subscriptionName,
                Platform = platform!,
                ChannelId = channelId!,
                ScopeKind = scopeKind,
                ScopeKey = scopeKind == OrgScopeKinds.Organisation ? null : scopeKey,
                Variant = result.GetValue(variant)!,
                Day = parsedDay!.Value,
                Time = new TimeOnly(minutes!.Value / 60, minutes.Value % 60),
                TimeZone = timeZone,
                Locale = language,
            };
            var db = app.Services.GetRequiredService<Db>();
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            await db.InTransactionAsync((_, transaction) => new OrgStore(db.Dialect, transaction).InsertDigestAsync(digest, now, cancellationToken), cancellationToken);
            Console.WriteLine($"Subscribed '{digest.Name}': every {digest.Day} at {OrgValues.FormatTime(digest.Time)} ({digest.TimeZone}) in {platform}:{channelId}, about the week before.");
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Unsubscribe(IReadOnlyList<string> configuration)
    {
        var name = new Argument<string>("name") { Description = "The subscription's name." }.RefusingUnknownOptions();
        var command = new Command("unsubscribe", "Stop a digest and forget what was sent for it. One listed in the organisation file comes back at its next import.") { name };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var subscriptionName = result.GetValue(name)!;
            if (!await app.Services.GetRequiredService<DigestStore>().DeleteAsync(subscriptionName, cancellationToken))
                return Refuse([$"There is no digest named '{subscriptionName}' (see 'kudosrelay digest list')."], KudosRelayCli.Failed);
            Console.WriteLine($"Unsubscribed '{subscriptionName}'.");
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Preview(IReadOnlyList<string> configuration)
    {
        var subscription = new Option<string>("--subscription") { Description = "The subscription's name.", Required = true };
        var week = new Option<string?>("--week") { Description = "The ISO week, e.g. 2026-W47; the current week so far when left out." };
        var format = new Option<string>("--format") { Description = "text, slack (Block Kit JSON) or teams (Adaptive Card JSON).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "slack", "teams");
        var command = new Command("preview", "Print the digest of any week without sending or recording anything.") { subscription, week, format };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var scheduler = app.Services.GetRequiredService<DigestScheduler>();
            var (found, chosen, exit) = await ResolveAsync(app, result.GetValue(subscription)!, result.GetValue(week), scheduler.CurrentWeek, cancellationToken);
            if (found is null || chosen is null)
                return exit;
            var message = await scheduler.PreviewAsync(found, chosen, cancellationToken);
            if (message is null)
                return Refuse([$"The {found.ScopeKind} '{found.ScopeKey}' of digest '{found.Name}' does not exist any more."], KudosRelayCli.Failed);
            Console.WriteLine(result.GetValue(format) switch
            {
                "slack" => SlackJson(message),
                "teams" => AdaptiveCardRenderer.ToJson(AdaptiveCardRenderer.Render(message)),
                _ => ConsoleTextRenderer.Render(new OutboundMessage(0, new ChatTarget(found.Platform, ChatTargetKind.Channel, found.ChannelId), message, null, 0)),
            });
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Send(IReadOnlyList<string> configuration)
    {
        var subscription = new Option<string>("--subscription") { Description = "The subscription's name.", Required = true };
        var week = new Option<string>("--week") { Description = "The ISO week, e.g. 2026-W47.", Required = true };
        var again = new Option<bool>("--again") { Description = "Send it even though this week was sent already." };
        var command = new Command("send", "Send a week's digest now through the outbox; a week sent already is refused unless --again.") { subscription, week, again };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var scheduler = app.Services.GetRequiredService<DigestScheduler>();
            var (found, chosen, exit) = await ResolveAsync(app, result.GetValue(subscription)!, result.GetValue(week), scheduler.CurrentWeek, cancellationToken);
            if (found is null || chosen is null)
                return exit;
            var messageId = await scheduler.SendAsync(found, chosen, result.GetValue(again), cancellationToken);
            if (messageId is null)
                return Refuse([$"The digest '{found.Name}' of {chosen.Name} was sent already; add --again to send it once more."], KudosRelayCli.Failed);
            Console.WriteLine($"The digest '{found.Name}' of {chosen.Name} is queued as outbox message {messageId}; a running server sends it shortly.");
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static async Task<(DigestSubscription? Subscription, Week? Week, int Exit)> ResolveAsync(
        WebApplication app, string name, string? weekName, Func<DigestSubscription, Week> defaultWeek, CancellationToken cancellationToken)
    {
        var subscription = await app.Services.GetRequiredService<DigestStore>().FindAsync(name, cancellationToken);
        if (subscription is null)
            return (null, null, Refuse([$"There is no digest named '{name}' (see 'kudosrelay digest list')."], KudosRelayCli.Failed));
        if (subscription.Schedule() is null)
            return (null, null, Refuse([$"The digest '{subscription.Name}' has a time zone or time this machine does not know ({subscription.TimeZone}, {subscription.LocalTime})."], KudosRelayCli.Failed));
        if (weekName is null)
            return (subscription, defaultWeek(subscription), KudosRelayCli.Ok);
        var week = DigestScheduler.WeekNamed(subscription, weekName);
        return week is null
            ? (null, null, Refuse([$"--week: '{weekName}' is not an ISO week such as 2026-W47."], KudosRelayCli.BadUsage))
            : (subscription, week, KudosRelayCli.Ok);
    }

    private static (string? Platform, string? ChannelId) ParseChannel(string value, IEnumerable<IChatIdFormat> formats, List<string> problems)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var platform = colon > 0 ? value[..colon].ToLowerInvariant() : "";
        var known = formats.ToList();
        var format = known.FirstOrDefault(f => f.Platform == platform);
        if (format is null)
        {
            problems.Add($"--channel: '{value}' names no platform; write {string.Join(" or ", known.Select(f => $"{f.Platform}:CHANNEL"))}.");
            return (null, null);
        }
        var channelId = value[(colon + 1)..];
        if (format.ChannelIdProblem(channelId) is { } problem)
        {
            problems.Add($"--channel: {problem}");
            return (null, null);
        }
        return (platform, channelId);
    }

    private static string SlackJson(ChatMessage message)
    {
        var payload = BlockKitRenderer.Render(message);
        return new JsonObject { ["text"] = payload.Text, ["blocks"] = payload.Blocks }.ToJsonString(Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static int Refuse(IEnumerable<string> problems, int exit)
    {
        Console.Error.WriteLine("Nothing was done:");
        foreach (var problem in problems)
            Console.Error.WriteLine($"  {problem}");
        return exit;
    }
}
