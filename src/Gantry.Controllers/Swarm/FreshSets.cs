using Gantry.Model;
using Gantry.Model.Releases;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// Scale-in of a routed service on a cluster (issue 11, docs/decisions/0034). Swarm has no call that stops a chosen task:
/// a smaller count stops the tasks its own rule picks, at random among equals, so the replica the routers drained is often
/// not the one that stops, and a routed one is killed under its requests. A routed service scaled in (to a count above zero)
/// therefore starts a fresh set at the smaller count beside the serving one (<see cref="ServiceSpec.Incarnation"/> counted
/// up, so its spec hash, and its Swarm service, are new); the blue-green planner swaps the traffic to it once every router
/// has it, and drains the whole old set, which then goes with its service. Pure: the deploy and scale paths apply it to
/// the candidate before the resource guard, and its notes are the pre-deploy check's warnings.
/// </summary>
/// <remarks>
/// Whatever the engine, a candidate keeps the set count the running spec has (a compose file never names it), so a deploy of
/// what runs stays a no-op. Scale-out stays in place (Swarm adds tasks; none is stopped), scale-in to zero too (the whole set
/// drains, so Swarm's choice does not matter), and so does an unrouted service (no requests to lose). On a cluster a routed
/// service's rolling strategy is planned blue-green for the same reason (the planner's <c>EngineChoosesScaleIn</c>); the notes
/// say so.
/// </remarks>
public static class FreshSets
{
    /// <summary>What the pre-deploy check tells about one service; <paramref name="Scale"/> when it is about this change of its count.</summary>
    public sealed record Note(string Service, string Text, bool Scale = false);

    /// <summary>The candidate with each service's set count kept from <paramref name="previous"/>, counted up for a routed scale-in on a cluster, and what to tell.</summary>
    public static (AppSpec Spec, IReadOnlyList<Note> Notes) Apply(AppSpec candidate, AppSpec? previous, bool cluster)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var notes = new List<Note>();
        var services = new List<ServiceSpec>(candidate.Services.Count);
        foreach (var service in candidate.Services)
        {
            var before = previous?.FindService(service.Name);
            var incarnation = before?.Incarnation ?? service.Incarnation;
            var routed = service.Release?.Routed == true;
            if (cluster && routed && before is not null && service.Replicas > 0 && service.Replicas < before.Replicas)
            {
                incarnation++;
                notes.Add(new Note(service.Name, $"scaled in from {before.Replicas} to {service.Replicas} on a cluster, where Swarm picks the tasks a smaller "
                    + $"count stops: a fresh set of {service.Replicas} starts beside the {before.Replicas} serving and takes the traffic once every router "
                    + $"has it; the {before.Replicas} then drain and stop", Scale: true));
            }
            if (cluster && routed && service.Release?.Strategy == ReleaseStrategy.Rolling)
            {
                notes.Add(new Note(service.Name, "a rolling release is blue-green on a cluster: Swarm picks the tasks a smaller count stops, "
                    + "so only a whole set can be drained before it stops"));
            }
            services.Add(service.Incarnation == incarnation ? service : service with { Incarnation = incarnation });
        }
        return (candidate with { Services = services }, notes);
    }
}
