using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Status;

namespace Gantry.Cli.Tests.Support;

/// <summary>Small API objects for canned server answers.</summary>
public static class Samples
{
    public static AppDetail App(string name, AppPhase phase, long generation, long observed, int running = 0, int healthy = 0, string? message = null) =>
        new(name, "production", phase)
        {
            Generation = generation,
            ObservedGeneration = observed,
            Message = message,
            Spec = new AppSpec
            {
                Name = name,
                Services = [new ServiceSpec { Name = "web", Image = "shop/web:abc123", Replicas = 1, Ports = [new PortSpec(80, "8080")] }],
            },
            Status = new AppStatus
            {
                Phase = phase,
                Message = message,
                Services =
                [
                    new ServiceStatus("web")
                    {
                        Image = "shop/web:abc123", Desired = 1, Running = running, Healthy = healthy,
                        Replicas = running > 0 ? [new ReplicaStatus($"{name}-web-1-abcdef12", "web", 1) { State = "running" }] : [],
                    },
                ],
            },
        };

    public static EventView Event(long id, string reason, string type = "Normal", string message = "", string? service = "web", string? replica = "shop-web-1-abcdef12") =>
        new(id, DateTimeOffset.UnixEpoch.AddSeconds(id), type, reason, message) { App = "shop", Service = service, Replica = replica };
}
