namespace Gantry.Router.Contracts.Status;

/// <summary>A certificate a router serves on its HTTPS entrypoint, as far as its expiry is concerned.</summary>
/// <param name="Thumbprint">SHA-1 thumbprint (hex), which tells two certificates for the same names apart.</param>
/// <param name="Names">The host names it is served for (its subject alternative names, or its common name).</param>
/// <param name="NotAfter">When it stops being valid.</param>
public sealed record CertificateExpiry(string Thumbprint, IReadOnlyList<string> Names, DateTimeOffset NotAfter);
