using Gantry.Router.Contracts.Status;
using Gantry.Server.Releases;

namespace Gantry.Server.Alerts;

/// <summary>
/// The certificates each router serves on its HTTPS entrypoint, from the routers' status reports, for the
/// certificate-expiry rule. A router that stops reporting (<see cref="RouterFleet.Silence"/>) or says it leaves no
/// longer counts. <see cref="Changed"/> is raised only when a router's set of certificates changes, not per report.
/// </summary>
public sealed class RouterCertificates(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (IReadOnlyList<CertificateExpiry> Certificates, DateTimeOffset SeenAt)> _routers = new(StringComparer.Ordinal);

    public event Action? Changed;

    public void Report(string router, IReadOnlyList<CertificateExpiry>? certificates)
    {
        var list = certificates ?? [];
        bool changed;
        lock (_lock)
        {
            var known = _routers.TryGetValue(router, out var before);
            changed = known ? !Same(before.Certificates, list) : list.Count > 0;
            if (list.Count == 0 && !known)
            {
                return;
            }
            _routers[router] = (list, time.GetUtcNow());
        }
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    public void Forget(string router)
    {
        bool had;
        lock (_lock)
        {
            had = _routers.Remove(router, out var before) && before.Certificates.Count > 0;
        }
        if (had)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>Every certificate a live router serves, once, with the routers serving it.</summary>
    public IReadOnlyList<ServedCertificate> Current()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return [.. _routers.Where(r => now - r.Value.SeenAt <= RouterFleet.Silence)
                .SelectMany(r => r.Value.Certificates.Select(c => (Router: r.Key, Certificate: c)))
                .GroupBy(x => x.Certificate.Thumbprint, StringComparer.Ordinal)
                .Select(g => new ServedCertificate(g.First().Certificate, [.. g.Select(x => x.Router).Order(StringComparer.Ordinal)]))
                .OrderBy(c => c.Certificate.Names.FirstOrDefault() ?? "", StringComparer.Ordinal)];
        }
    }

    private static bool Same(IReadOnlyList<CertificateExpiry> a, IReadOnlyList<CertificateExpiry> b) =>
        a.Count == b.Count && a.Select(c => c.Thumbprint).Order(StringComparer.Ordinal).SequenceEqual(b.Select(c => c.Thumbprint).Order(StringComparer.Ordinal), StringComparer.Ordinal);
}

/// <summary>A certificate and the routers that serve it.</summary>
public sealed record ServedCertificate(CertificateExpiry Certificate, IReadOnlyList<string> Routers);
