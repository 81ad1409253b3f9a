using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry ps APP`: the app's replicas with state, health, restarts and live CPU and memory.</summary>
public static class PsCommand
{
    public static Command Create(CliContext context) =>
        SharedOptions.AppListing(context, "ps", "List an app's replicas with live CPU and memory", (api, app, json, ct) => RunAsync(api, context, app, json, ct));

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool json, CancellationToken cancellationToken)
    {
        var replicas = await api.ListReplicasAsync(app, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, replicas, JsonOutput.Indented.IReadOnlyListReplicaView);
            return ExitCodes.Ok;
        }
        if (replicas.Count == 0)
        {
            await context.Out.WriteLineAsync($"app '{app}' has no replicas").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var now = context.Time.GetUtcNow();
        var ordered = replicas.OrderBy(r => r.Replica.Service, StringComparer.Ordinal).ThenBy(r => r.Replica.Slot).ToList();
        if (ordered.Any(r => r.Replica.Node is not null))
        {
            // On a cluster (the server's engine is a Swarm manager) each replica is a task on some node: say which.
            TableWriter.Write(context.Out, ["NAME", "SERVICE", "NODE", "STATE", "HEALTH", "TRAFFIC", "RESTARTS", "CPU", "MEMORY", "CPU LIMIT", "AGE / MESSAGE"],
                ordered.Select(r => (IReadOnlyList<string>)[.. Row(r, now).Take(2), r.Replica.Node ?? "-", .. Row(r, now).Skip(2)]));
            return ExitCodes.Ok;
        }
        TableWriter.Write(context.Out, ["NAME", "SERVICE", "STATE", "HEALTH", "TRAFFIC", "RESTARTS", "CPU", "MEMORY", "CPU LIMIT", "AGE / MESSAGE"],
            ordered.Select(r => Row(r, now)));
        return ExitCodes.Ok;
    }

    public static IReadOnlyList<string> Row(ReplicaView view, DateTimeOffset now)
    {
        var replica = view.Replica;
        var running = replica.State == "running";
        var limit = replica.MemoryLimitBytes is { } bytes ? Humanize.Bytes(bytes) : "-";
        var memory = view.MemoryUsageBytes is { } used ? $"{Humanize.Bytes(used)} / {limit}" : $"- / {limit}";
        var last = running
            ? replica.StartedAt is { } started ? Humanize.Duration(now - started) : "-"
            : replica.Message ?? (replica.ExitCode is { } code ? $"exited with code {code}" : "-");
        return
        [
            replica.Name,
            replica.Service,
            replica.State,
            replica.Health,
            // live, canary N%, staged, warm or draining: where the router's traffic is during a release.
            replica.Traffic is null ? "-" : replica.Traffic == "canary" && replica.Weight is { } share ? $"canary {share}%" : replica.Traffic,
            replica.Restarts.ToString(CultureInfo.InvariantCulture),
            view.CpuPercent is { } cpu ? Humanize.Percent(cpu) : "-",
            memory,
            replica.NanoCpus is { } nano ? Humanize.Cpus(nano) : "-",
            last,
        ];
    }
}
