using Gantry.Console.Apps;
using Gantry.Console.Cluster;
using Gantry.Console.Deploys;
using Gantry.Console.Traffic;
using Gantry.Model.Api;
using Gantry.Model.Api.Cluster;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages;

/// <summary>
/// The apps of the signed-in user's teams, as `GET /api/v1/apps` lists them for the same user, each with its traffic of
/// the last <see cref="TrafficSummary.Window"/> from the metrics history (memory only: the page costs no engine call), and
/// for admins on a Swarm the node view (`gantry nodes`: the only engine calls, and only on a cluster).
/// </summary>
public sealed class IndexModel(IConsoleApps apps, IConsoleDeploys deploys, IConsoleTraffic traffic, IConsoleCluster cluster, TimeProvider time) : PageModel
{
    /// <summary>The cluster's nodes, or why they could not be read; null when there is no node view (no cluster, or no admin).</summary>
    public ConsoleChange<IReadOnlyList<NodeView>>? Nodes { get; private set; }

    public IReadOnlyList<AppSummary> Apps { get; private set; } = [];

    /// <summary>Each listed app's traffic, by name.</summary>
    public Dictionary<string, TrafficSummary> Traffic { get; } = new(StringComparer.Ordinal);

    /// <summary>The user may create an app in some team: the page offers the Deploy page.</summary>
    public bool CanDeploy { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Apps = await apps.ListAsync(HttpContext, ct);
        var now = time.GetUtcNow();
        foreach (var app in Apps)
        {
            if ((await traffic.MetricsAsync(HttpContext, app.Name, TrafficSummary.Window, TrafficSummary.Step, ct)).Response is { } metrics)
            {
                Traffic[app.Name] = TrafficSummary.From(metrics, now);
            }
        }
        Nodes = await cluster.NodesAsync(HttpContext, ct);
        var teams = deploys.TeamsFor(HttpContext);
        CanDeploy = teams.Any || teams.Teams.Count > 0;
    }
}
