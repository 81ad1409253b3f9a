using Gantry.Model.Api;

namespace Gantry.Console.Traffic;

/// <summary>
/// A request's phases end to end as the router timed them, for the Requests page's waterfall: route (match the request),
/// held (its service woken from zero replicas), wait (for a pooled connection), connect (a new one), upstream headers
/// (the replica's time to answer), body (streaming the answer). Each starts where the one before ended; what the router
/// spent between them (reading the request, retries) is the difference to the total, shown as its own row.
/// </summary>
public sealed record Waterfall(IReadOnlyList<WaterfallPhase> Phases, double TotalMs)
{
    public static Waterfall From(RequestView request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var phases = new List<WaterfallPhase>();
        var at = 0.0;
        foreach (var (name, ms) in new (string, double?)[]
        {
            ("route", request.RouteMs),
            ("held", request.HeldMs > 0 ? request.HeldMs : null),
            ("wait", request.WaitMs),
            ("connect", request.ConnectMs),
            ("upstream headers", request.UpstreamMs),
            ("body", request.BodyMs),
        })
        {
            if (ms is not { } duration)
            {
                continue;
            }
            phases.Add(new WaterfallPhase(name, at, duration));
            at += duration;
        }
        var other = request.TotalMs - at;
        if (other > 0.0005)
        {
            phases.Add(new WaterfallPhase("other", at, other));
        }
        return new Waterfall(phases, Math.Max(request.TotalMs, at));
    }
}

/// <summary>One phase of a <see cref="Waterfall"/>: where it starts after the request arrived, and how long it took (ms).</summary>
public sealed record WaterfallPhase(string Name, double StartMs, double DurationMs);
