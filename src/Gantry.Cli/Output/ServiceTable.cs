using Gantry.Model;
using Gantry.Model.Api;

namespace Gantry.Cli.Output;

/// <summary>The summary a finished deploy or scale prints: per service its image, replicas running/desired, healthy and ports.</summary>
public static class ServiceTable
{
    public static void Write(TextWriter writer, AppDetail detail)
    {
        var statuses = detail.Status.Services ?? [];
        var specs = detail.Spec.Services ?? [];
        var names = specs.Select(s => s.Name).Concat(statuses.Select(s => s.Name))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        TableWriter.Write(writer, ["SERVICE", "IMAGE", "REPLICAS", "HEALTHY", "PORTS"], names.Select(name =>
        {
            var spec = specs.FirstOrDefault(s => s.Name == name);
            var status = statuses.FirstOrDefault(s => s.Name == name);
            var desired = status?.Desired ?? spec?.Replicas ?? 0;
            return (IReadOnlyList<string>)
            [
                name,
                status?.Image ?? spec?.Image ?? "-",
                $"{status?.Running ?? 0}/{desired}",
                $"{status?.Healthy ?? 0}/{desired}",
                spec is null ? "" : Ports(spec),
            ];
        }));
    }

    /// <summary>"8080->80/tcp, 127.0.0.1:5432->5432/tcp", as `docker ps` shows them.</summary>
    public static string Ports(ServiceSpec spec) => string.Join(", ", (spec.Ports ?? []).Select(p =>
    {
        var host = p.HostIp is null ? "" : p.HostIp + ":";
        return p.Published is null ? $"{p.Target}/{p.Protocol}" : $"{host}{p.Published}->{p.Target}/{p.Protocol}";
    }));
}
