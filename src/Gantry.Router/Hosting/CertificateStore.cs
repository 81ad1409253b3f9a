using System.Security.Cryptography.X509Certificates;

namespace Gantry.Router.Hosting;

/// <summary>The TLS certificates of the external HTTPS entrypoint, chosen by SNI host name (exact, then wildcard, then the first one).</summary>
public sealed class CertificateStore
{
    private readonly Dictionary<string, X509Certificate2> _byName = new(StringComparer.OrdinalIgnoreCase);
    private X509Certificate2? _fallback;

    /// <summary>Loads name.crt/name.pem + name.key pairs and name.pfx files; the names served come from each certificate's SAN/CN.</summary>
    public static CertificateStore Load(string directory)
    {
        var store = new CertificateStore();
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"certificates directory \"{directory}\" does not exist; create it or fix --certs");
        }

        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var extension = Path.GetExtension(file).ToLowerInvariant();
            X509Certificate2? certificate = null;
            if (extension is ".crt" or ".pem")
            {
                var key = Path.ChangeExtension(file, ".key");
                if (File.Exists(key))
                {
                    // Re-import through PKCS#12: SslStream on Linux needs a certificate whose key is not ephemeral.
                    using var pem = X509Certificate2.CreateFromPemFile(file, key);
                    certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
                }
            }
            else if (extension == ".pfx")
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(file, null);
            }

            if (certificate is not null)
            {
                store.Add(certificate);
            }
        }

        return store;
    }

    public int Count => _byName.Count;

    /// <summary>Each certificate loaded, once, with the names it is served for and its expiry (for the status report).</summary>
    public IReadOnlyList<Gantry.Router.Contracts.Status.CertificateExpiry> Expiries() => [.. _byName
        .GroupBy(n => n.Value.Thumbprint, StringComparer.Ordinal)
        .Select(g => new Gantry.Router.Contracts.Status.CertificateExpiry(g.Key, [.. g.Select(n => n.Key).Order(StringComparer.Ordinal)],
            new DateTimeOffset(g.First().Value.NotAfter.ToUniversalTime(), TimeSpan.Zero)))
        .OrderBy(c => c.Names[0], StringComparer.Ordinal)];

    public void Add(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _fallback ??= certificate;
        var added = false;
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var name in san.EnumerateDnsNames())
                {
                    _byName.TryAdd(name, certificate);
                    added = true;
                }
            }
        }

        if (!added)
        {
            _byName.TryAdd(certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false), certificate);
        }
    }

    /// <summary>Picks the certificate for an SNI name: exact, then "*.parent", then the first certificate loaded.</summary>
    public X509Certificate2? Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            if (_byName.TryGetValue(serverName, out var exact))
            {
                return exact;
            }

            var dot = serverName.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && _byName.TryGetValue("*" + serverName[dot..], out var wildcard))
            {
                return wildcard;
            }
        }

        return _fallback;
    }
}
