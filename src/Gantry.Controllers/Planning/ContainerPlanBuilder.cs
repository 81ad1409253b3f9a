using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Model;

namespace Gantry.Controllers.Planning;

/// <summary>Turns a service spec into the container to create for one slot: engine names, labels and enforced limits.</summary>
public static class ContainerPlanBuilder
{
    public static ContainerPlan Build(AppSpec app, ServiceSpec service, int slot, string imageId, string specHash, long generation, ResourceDefaults defaults)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in service.Labels)
        {
            labels[key] = value;
        }
        labels[GantryLabels.Managed] = "true";
        labels[GantryLabels.App] = app.Name;
        labels[GantryLabels.Service] = service.Name;
        labels[GantryLabels.Slot] = slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
        labels[GantryLabels.SpecHash] = specHash;
        labels[GantryLabels.Release] = (app.Release > 0 ? app.Release : generation).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var environment = service.Environment
            .Where(kv => kv.Value is not null)
            .Select(kv => $"{kv.Key}={kv.Value}")
            .OrderBy(e => e, StringComparer.Ordinal)
            .ToList();

        var mounts = service.Volumes.Select(m => m.Type == MountType.Volume && m.Source is not null
            ? m with { Source = EngineVolumeName(app, m.Source), OwnedVolume = app.Volumes.Any(v => v.Name == m.Source && v is { External: false, EngineName: null }) ? m.Source : null }
            : m).ToList();
        // Secrets and configs are files kept by the server (from the uploaded project, or written
        // there from inline content at deploy time), bind-mounted read-only like compose does
        // without Swarm. Never environment variables: those leak into `docker inspect` and logs.
        mounts.AddRange(FileMounts(service.Secrets, app.Secrets));
        mounts.AddRange(FileMounts(service.Configs, app.Configs));

        var networks = new List<(string, IReadOnlyList<string>)>();
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var membership in service.Networks)
        {
            var network = app.Networks.FirstOrDefault(n => n.Name == membership.Network) ?? new NetworkSpec(membership.Network);
            // Every replica answers to its service name on each network, like compose, so
            // "db:5432" works from any other service of the app.
            var aliases = new List<string> { service.Name };
            aliases.AddRange(membership.Aliases.Where(a => a != service.Name));
            networks.Add((Names.Network(app.Name, network), aliases));
            if (membership.Ipv4Address is { } address)
            {
                addresses[Names.Network(app.Name, network)] = address;
            }
        }

        return new ContainerPlan(Names.Container(app.Name, service.Name, slot, specHash), app.Name, service.Name, slot, specHash)
        {
            Image = imageId,
            Command = service.Command,
            Entrypoint = service.Entrypoint,
            Environment = environment,
            User = service.User,
            WorkingDir = service.WorkingDir,
            Labels = labels,
            // A published host port can be bound by one container only: replicas beyond the
            // first would fail to start, so only slot 1 publishes fixed host ports; routed
            // traffic reaches every replica through the router instead.
            Ports = slot == 1 ? service.Ports : service.Ports.Where(p => p.Published is null).ToList(),
            ExposedPorts = service.Expose,
            Mounts = mounts,
            Networks = networks,
            HealthCheck = service.HealthCheck,
            MemoryLimitBytes = service.Resources.MemoryLimitBytes ?? defaults.MemoryLimitBytes,
            MemoryReservationBytes = service.Resources.MemoryReservationBytes,
            NanoCpus = service.Resources.NanoCpus ?? defaults.NanoCpus,
            PidsLimit = service.Resources.PidsLimit,
            Restart = service.Restart,
            StopSignal = service.StopSignal,
            StopGracePeriod = service.StopGracePeriod,
            ExtraHosts = service.ExtraHosts,
            // A fixed address can be held by one container only: like fixed host ports, only slot 1 asks for it.
            Ipv4Addresses = addresses.Count > 0 && slot == 1 ? addresses : null,
            Source = service,
        };

        static IEnumerable<MountSpec> FileMounts(IReadOnlyList<FileReferenceSpec> references, IReadOnlyList<FileObjectSpec> declared) =>
            references
                .Select(r => (r, declared.FirstOrDefault(d => d.Name == r.Source)?.File))
                .Where(x => x.File is not null)
                .Select(x => new MountSpec(MountType.Bind, x.File, x.r.Target) { ReadOnly = true, CreateHostPath = false });

        string EngineVolumeName(AppSpec a, string source)
        {
            var volume = a.Volumes.FirstOrDefault(v => v.Name == source);
            return volume is null ? source : Names.Volume(a.Name, volume);
        }
    }
}
