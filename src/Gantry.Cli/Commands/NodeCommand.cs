using System.CommandLine;
using Gantry.Model.Api;
using Gantry.Model.Api.Cluster;

namespace Gantry.Cli.Commands;

/// <summary>`gantry node add ENGINE_URL [--role worker|manager] [--label k=v]`, `node drain NAME`, `node rm NAME`,
/// `node metrics NAME [--since 1h]` (admins).</summary>
public static class NodeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("node", "Add a machine to the cluster, drain it or remove it");

        var engine = new Argument<string>("ENGINE_URL") { Description = "The engine to join: unix:///path/docker.sock, tcp://HOST:2375 or https://HOST:2376" };
        var role = new Option<string>("--role") { Description = "worker (default) or manager" };
        var labels = new Option<string[]>("--label") { Description = "A node label KEY=VALUE for placement constraints (node.labels.KEY); repeatable" };
        var add = new Command("add", "Join another Docker engine to the cluster through its own API") { engine, role, labels };
        add.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var request = new NodeAddRequest(parse.GetRequiredValue(engine), parse.GetValue(role), ParseLabels(parse.GetValue(labels)));
            if (request.Role is { } r && r is not ("worker" or "manager"))
            {
                throw new CliException(ExitCodes.Usage, $"--role '{r}' is not a node role: use worker or manager");
            }
            var node = await api.CallAsync(HttpMethod.Post, "api/v1/cluster/nodes", IdentityJson.Body(request, ApiJsonContext.Default.NodeAddRequest),
                ApiJsonContext.Default.NodeView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"node {node.Name} ({node.Address}) is in the cluster as a {node.Role}, {node.State}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));

        var drainName = new Argument<string>("NAME") { Description = "Node host name or id" };
        var drain = new Command("drain", "Move the node's replicas to the other nodes and place none there") { drainName };
        drain.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var node = await api.CallAsync(HttpMethod.Post, "api/v1/cluster/nodes/" + IdentityJson.Path(parse.GetRequiredValue(drainName)) + "/drain", null,
                ApiJsonContext.Default.NodeView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"node {node.Name} is draining: Swarm moves its replicas to the other nodes").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));

        var rmName = new Argument<string>("NAME") { Description = "Node host name or id" };
        var rm = new Command("rm", "Remove a node: a live one is drained and leaves through its engine; a dead one is removed at once") { rmName };
        rm.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var node = await api.CallAsync(HttpMethod.Delete, "api/v1/cluster/nodes/" + IdentityJson.Path(parse.GetRequiredValue(rmName)), null,
                ApiJsonContext.Default.NodeView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"removed node {node.Name}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));

        var metricsName = new Argument<string>("NAME") { Description = "Node host name, as gantry nodes shows it" };
        var since = MetricsCommand.SinceOption();
        var output = SharedOptions.Output();
        var metrics = new Command("metrics", "Show what Gantry's replicas on the node use over time: CPU cores, memory, replicas") { metricsName, since, output };
        metrics.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var window = parse.GetValue(since) ?? MetricsCommand.DefaultSince;
            var step = MetricSteps.For(window, MetricsCommand.SparklineWidth);
            var name = parse.GetRequiredValue(metricsName);
            var view = await api.CallAsync(HttpMethod.Get, "api/v1/cluster/nodes/" + IdentityJson.Path(name) + "/metrics?since=" + (long)window.TotalSeconds + "s&step="
                + (long)step.TotalSeconds + "s", null, ApiJsonContext.Default.AppMetricsView, ct).ConfigureAwait(false);
            return await MetricsCommand.WriteAsync(context, view, window, parse.GetValue(output) == "json", $"node '{name}'").ConfigureAwait(false);
        }).ConfigureAwait(false));

        command.Add(add);
        command.Add(drain);
        command.Add(rm);
        command.Add(metrics);
        return command;
    }

    internal static Dictionary<string, string>? ParseLabels(string[]? labels)
    {
        if (labels is not { Length: > 0 })
        {
            return null;
        }
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var eq = label.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException(ExitCodes.Usage, $"--label '{label}' is not KEY=VALUE: write for example --label zone=a");
            }
            parsed[label[..eq]] = label[(eq + 1)..];
        }
        return parsed;
    }
}
