using System.CommandLine;
using KudosRelay.Core.Outbox;

namespace KudosRelay.Host.Cli;

internal static class OutboxCommands
{
    public static Command Create(IReadOnlyList<string> configuration)
    {
        var outbox = new Command("outbox", "Inspect and repair the outbox of outbound messages.");
        outbox.Subcommands.Add(List(configuration));
        outbox.Subcommands.Add(Retry(configuration));
        outbox.Subcommands.Add(Show(configuration));
        return outbox;
    }

    private static Command List(IReadOnlyList<string> configuration)
    {
        var dead = new Option<bool>("--dead") { Description = "Only dead-lettered messages." };
        var pending = new Option<bool>("--pending") { Description = "Only messages waiting to be sent." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List outbox messages, newest first.") { dead, pending, limit };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var status = result.GetValue(dead) ? OutboxStatus.Dead : result.GetValue(pending) ? OutboxStatus.Pending : null;
            var store = app.Services.GetRequiredService<OutboxStore>();
            var entries = await store.ListAsync(status, Math.Max(1, result.GetValue(limit)), cancellationToken);
            var counts = await store.CountAsync(cancellationToken);
            Console.WriteLine(counts.Printed > 0
                ? $"{counts.Pending} pending, {counts.Sent} sent, {counts.Dead} dead, {counts.Printed} printed (no platform was configured; 'kudosrelay outbox retry --printed' sends them)"
                : $"{counts.Pending} pending, {counts.Sent} sent, {counts.Dead} dead");
            if (entries.Count == 0)
                return KudosRelayCli.Ok;
            Console.WriteLine($"{"ID",8}  {"STATUS",-7}  {"TRIES",5}  {"TARGET",-32}  {"KEY",-32}  LAST ERROR / MESSAGE REF");
            foreach (var entry in entries)
                Console.WriteLine($"{entry.Id,8}  {entry.Status,-7}  {entry.Attempts,5}  {Cut($"{entry.Platform}:{entry.TargetKind}:{entry.TargetAddress}", 32),-32}  {Cut(entry.IdempotencyKey, 32),-32}  {entry.LastError ?? entry.PlatformMessageRef}");
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Retry(IReadOnlyList<string> configuration)
    {
        var id = new Argument<long?>("id") { Description = "The id of a dead-lettered message.", Arity = ArgumentArity.ZeroOrOne }.RefusingUnknownOptions();
        var printed = new Option<bool>("--printed") { Description = "Every message only printed while no platform was configured: send them for real." };
        var command = new Command("retry", "Queue a dead-lettered message again with a fresh attempt budget, or every printed one with --printed.") { id, printed };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var store = app.Services.GetRequiredService<OutboxStore>();
            if (result.GetValue(printed))
            {
                var queued = await store.RetryPrintedAsync(cancellationToken);
                Console.WriteLine($"{queued} printed message(s) queued to be sent; a running server with the platform configured sends them shortly.");
                return KudosRelayCli.Ok;
            }
            if (result.GetValue(id) is not { } messageId)
            {
                Console.Error.WriteLine("Name the id of a dead-lettered message, or use --printed.");
                return KudosRelayCli.Failed;
            }
            if (await store.RetryDeadAsync(messageId, cancellationToken))
            {
                Console.WriteLine($"Message {messageId} is queued again; a running server will send it shortly.");
                return KudosRelayCli.Ok;
            }
            Console.Error.WriteLine($"There is no dead-lettered message {messageId} (see 'kudosrelay outbox list --dead').");
            return KudosRelayCli.Failed;
        }, cancellationToken));
        return command;
    }

    private static Command Show(IReadOnlyList<string> configuration)
    {
        var id = new Argument<long>("id") { Description = "The id of a message." }.RefusingUnknownOptions();
        var command = new Command("show", "Show a message's attempt history.") { id };
        command.SetAction((result, cancellationToken) => KudosRelayCli.WithMigratedDatabaseAsync(configuration, async app =>
        {
            var attempts = await app.Services.GetRequiredService<OutboxStore>().AttemptsAsync(result.GetValue(id), cancellationToken);
            if (attempts.Count == 0)
                Console.WriteLine("No attempts recorded.");
            foreach (var attempt in attempts)
                Console.WriteLine($"#{attempt.Attempt}  {attempt.AttemptedAt:yyyy-MM-dd HH:mm:ss}Z  {attempt.Outcome,-5}  {attempt.LeaseOwner}  {attempt.Error}");
            return KudosRelayCli.Ok;
        }, cancellationToken));
        return command;
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");
}
