using Gantry.Docker.Transport;

namespace Gantry.Docker.System;

/// <summary>Daemon-wide calls: ping, version, info.</summary>
public sealed class SystemClient
{
    private readonly DockerConnection _connection;

    internal SystemClient(DockerConnection connection) => _connection = connection;

    /// <summary>Returns true when the daemon answers <c>OK</c>; transport failures throw <see cref="DockerTransportException"/>.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        var body = await _connection.GetStringAsync(DockerRequest.Unversioned(HttpMethod.Get, "/_ping"), cancellationToken)
            .ConfigureAwait(false);
        return string.Equals(body.Trim(), "OK", StringComparison.Ordinal);
    }

    /// <summary>Engine and API versions (unversioned path; also what negotiation uses).</summary>
    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Unversioned(HttpMethod.Get, "/version"), DockerJsonContext.Default.VersionResponse,
            cancellationToken);

    /// <summary>Host resources and daemon configuration.</summary>
    public Task<SystemInfo> InfoAsync(CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get("/info"), DockerJsonContext.Default.SystemInfo, cancellationToken);

    /// <summary>The API version in use, negotiating it if no call has yet.</summary>
    public Task<string> GetApiVersionAsync(CancellationToken cancellationToken = default) =>
        _connection.GetApiVersionAsync(cancellationToken);
}
