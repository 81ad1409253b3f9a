using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gantry.Docker;
using Gantry.Docker.Containers;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>
/// A real `gantry server` child process on a free loopback port with its own data directory, so a
/// test can SIGKILL it mid-deploy and start it again on the same data. Disposal stops it and removes
/// anything its installation left on the engine, so a failing test leaves nothing behind.
/// </summary>
public sealed class GantryServerProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly StringWriterSink _log = new();

    private GantryServerProcess(string dataDirectory, int port)
    {
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string Token => File.ReadAllText(Path.Combine(DataDirectory, "admin-token")).Trim();

    /// <summary>The routers' token: what every router in these tests follows the server with (route feed and reports only).</summary>
    public string RouterToken => File.ReadAllText(Path.Combine(DataDirectory, "router-token")).Trim();

    /// <summary>A router following this server with its router token, every listener on a free loopback port.</summary>
    public Gantry.Router.Hosting.RouterOptions RouterOptions() => new()
    {
        ServerUrl = new Uri(Url),
        ServerToken = RouterToken,
        ExternalHttp = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        Internal = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        Admin = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
    };

    public string InstallationId => File.ReadAllText(Path.Combine(DataDirectory, "installation-id")).Trim();

    public string Log => _log.ToString();

    /// <summary>Arguments after `server --data D --listen U` (such as --engine URL).</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Environment the server process gets on top of the test's own (GANTRY_ALLOW_PRIVILEGE, ...).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>An address of this machine the server also listens on, and advertises to a Swarm's nodes (`--advertise-url`).</summary>
    public string? AdvertiseAddress { get; private set; }

    /// <summary>The server's URL as the nodes reach it; null unless started with an advertise address.</summary>
    public string? AdvertiseUrl => AdvertiseAddress is null ? null : $"http://{AdvertiseAddress}:{Port}";

    /// <param name="portArguments">More arguments that name the server's port (such as `--registry-address 10.99.0.1:PORT`).</param>
    public static async Task<GantryServerProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null,
        Func<int, IEnumerable<string>>? portArguments = null, string? advertiseAddress = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "gantry-it-" + Guid.NewGuid().ToString("N")[..8]);
        var server = new GantryServerProcess(data, FreePort()) { AdvertiseAddress = advertiseAddress };
        server.Arguments.AddRange(arguments ?? []);
        server.Arguments.AddRange(portArguments?.Invoke(server.Port) ?? []);
        if (server.AdvertiseUrl is { } advertised)
        {
            server.Arguments.AddRange(["--advertise-url", advertised]);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            server.Environment[name] = value;
        }
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the process (again) on the same data directory and waits until /healthz answers.</summary>
    public async Task StartAgainAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "gantry.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("server");
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(DataDirectory);
        start.ArgumentList.Add("--listen");
        start.ArgumentList.Add(AdvertiseUrl is null ? Url : $"{Url};{AdvertiseUrl}");
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start gantry server");
        process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gantry server exited with {process.ExitCode}:\n{Log}");
            }
            try
            {
                if ((await http.GetAsync($"{Url}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"gantry server did not become healthy:\n{Log}");
    }

    /// <summary>SIGKILL: no shutdown code runs, like a crash or an OOM kill of the control plane.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        string? owner = null;
        try
        {
            owner = InstallationId;
        }
        catch (IOException)
        {
        }
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        if (owner is not null)
        {
            await RemoveEverythingOwnedByAsync(owner);
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Safety net for failed tests: removes what this installation created, and nothing else.</summary>
    public static async Task RemoveEverythingOwnedByAsync(string owner)
    {
        await using var docker = DockerClient.FromEnvironment();
        var filter = DockerFilters.ForLabel("gantry.owner", owner);
        foreach (var c in await docker.Containers.ListAsync(new ContainerListOptions { All = true, Filters = filter }))
        {
            await docker.Containers.RemoveAsync(c.Id, force: true, removeVolumes: true);
        }
        foreach (var n in await docker.Networks.ListAsync(filter))
        {
            await docker.Networks.RemoveAsync(n.Name);
        }
        foreach (var v in await docker.Volumes.ListAsync(filter))
        {
            await docker.Volumes.RemoveAsync(v.Name, force: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class StringWriterSink
    {
        private readonly System.Text.StringBuilder _text = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_text)
            {
                _text.AppendLine(line);
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
