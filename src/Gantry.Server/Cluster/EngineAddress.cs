using Gantry.Docker;

namespace Gantry.Server.Cluster;

/// <summary>
/// Reads an engine URL as the operator wrote it (the server's own --engine, or a node being added) into client options,
/// with a message naming the value when it cannot be used. TLS material comes from one directory in the docker CLI's
/// layout (ca.pem, cert.pem, key.pem), the same for every engine of a cluster, as docker-machine sets machines up.
/// </summary>
public static class EngineAddress
{
    /// <summary>The options for url, or the reason it is not an engine address.</summary>
    public static (DockerClientOptions? Options, string? Error) Parse(string? url, string? certDirectory)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return (null, "no engine URL given: write unix:///var/run/docker.sock, tcp://HOST:2375 or https://HOST:2376");
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "https" or "http"))
        {
            return (null, $"'{url}' is not an engine URL: write unix:///var/run/docker.sock, tcp://HOST:2375 or https://HOST:2376");
        }
        if (uri.Scheme == "unix" && string.IsNullOrEmpty(uri.AbsolutePath.Trim('/')))
        {
            return (null, $"'{url}' names no socket: write unix:///path/to/docker.sock (or tcp://HOST:2375, https://HOST:2376)");
        }
        if (uri.Scheme != "unix" && uri.Port <= 0)
        {
            return (null, $"'{url}' has no port: write tcp://HOST:2375 or https://HOST:2376");
        }
        if (uri.Scheme == "unix" || string.IsNullOrEmpty(certDirectory))
        {
            return (new DockerClientOptions { Endpoint = uri, UseTls = uri.Scheme == "https" }, null);
        }
        if (!Directory.Exists(certDirectory))
        {
            return (null, $"the engine certificate directory '{certDirectory}' does not exist: it should hold ca.pem, cert.pem and key.pem");
        }
        // The docker CLI's own rules: DOCKER_TLS_VERIFY on, DOCKER_CERT_PATH the directory.
        var options = DockerEnvironment.ReadOptions(name => name switch
        {
            "DOCKER_HOST" => uri.ToString(),
            "DOCKER_TLS_VERIFY" => "1",
            "DOCKER_CERT_PATH" => certDirectory,
            _ => null,
        });
        return (options, null);
    }
}
