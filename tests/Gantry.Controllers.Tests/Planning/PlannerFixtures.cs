using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Controllers.Tests.Planning;

/// <summary>Small builders for desired apps and for what a fake engine shows.</summary>
internal static class PlannerFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static AppSpec App(params ServiceSpec[] services) => new()
    {
        Name = "shop",
        Services = services,
        Networks = [new NetworkSpec("default")],
    };

    public static ServiceSpec Service(string name, int replicas = 1, params DependencySpec[] dependsOn) => new()
    {
        Name = name,
        Image = $"{name}:1",
        Replicas = replicas,
        DependsOn = dependsOn,
        Networks = [new ServiceNetworkSpec("default")],
    };

    public static Dictionary<string, string> Images(AppSpec app) =>
        app.Services.ToDictionary(s => s.Name, s => $"sha256:{s.Name}image");

    public static ObservedContainer Running(AppSpec app, string service, int slot, string health = "none", string? hash = null)
    {
        var spec = app.FindService(service)!;
        hash ??= SpecHash.Compute(spec, $"sha256:{service}image");
        return new ObservedContainer($"id-{service}-{slot}-{hash[..4]}", Names.Container(app.Name, service, slot, hash))
        {
            Labels = new Dictionary<string, string>
            {
                [GantryLabels.App] = app.Name,
                [GantryLabels.Service] = service,
                [GantryLabels.Slot] = slot.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [GantryLabels.SpecHash] = hash,
            },
            State = "running",
            Health = health,
            StartedAt = Now.AddMinutes(-10),
            MemoryLimitBytes = 256L << 20,
        };
    }

    public static ObservedContainer Exited(ObservedContainer c, int exitCode, DateTimeOffset finishedAt, bool oom = false, DateTimeOffset? startedAt = null) =>
        c with { State = "exited", ExitCode = exitCode, FinishedAt = finishedAt, OomKilled = oom, StartedAt = startedAt ?? finishedAt.AddSeconds(-2) };
}
