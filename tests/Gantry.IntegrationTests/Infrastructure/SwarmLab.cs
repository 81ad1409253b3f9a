using System.Diagnostics;
using Gantry.Docker;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>
/// The lab of scripts/swarm-lab.sh for one test class: three real engines (node1..node3 in their own network and UTS
/// namespaces on gbr0) brought up once, every node out of any Swarm, and a Gantry server driving node1
/// (`--engine unix:///run/gantry-lab/node1.sock`, also listening on 10.99.0.1: the nodes pull images only the manager has from
/// its registry there (`--registry-address`), and the routers it runs on the nodes follow it there (`--advertise-url`));
/// everything torn down at the end. A lab that cannot start fails the
/// class loudly with the script's output: these tests never skip.
/// </summary>
public sealed class SwarmLab : IAsyncLifetime
{
    public const int Nodes = 3;

    public GantryServerProcess Server { get; private set; } = null!;

    public CliRunner Cli { get; private set; } = null!;

    /// <summary>Where the lab's nodes reach the server's registry: the host's address on the lab bridge.</summary>
    public static string RegistryAddress(int port) => $"10.99.0.1:{port}";

    public static string Socket(int node) => $"/run/gantry-lab/node{node}.sock";

    public static string Engine(int node) => "unix://" + Socket(node);

    /// <summary>A client for one node's engine (the test's own view, beside Gantry's).</summary>
    public static DockerClient Client(int node) => new(new DockerClientOptions { Endpoint = new Uri(Engine(node)) });

    public async Task InitializeAsync()
    {
        await RunScriptAsync("up", TimeSpan.FromMinutes(4));
        await LeaveEverySwarmAsync();
        // The server also listens on the lab bridge, which every lab engine trusts as a registry (--insecure-registry 10.99.0.0/24):
        // the nodes pull images only the manager has from its registry there (docs/decisions/0030), and the routers Gantry runs
        // on each node follow it there (docs/decisions/0029).
        Server = await GantryServerProcess.StartAsync(arguments: ["--engine", Engine(1)], portArguments: port => ["--registry-address", RegistryAddress(port)],
            advertiseAddress: "10.99.0.1");
        Cli = new CliRunner(Server);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        await RunScriptAsync("down", TimeSpan.FromMinutes(3));
    }

    /// <summary>Every node out of any Swarm: a lab left by an earlier run (or a revived node) starts clean.</summary>
    public static async Task LeaveEverySwarmAsync()
    {
        for (var node = 1; node <= Nodes; node++)
        {
            using var client = Client(node);
            var swarm = (await client.System.InfoAsync()).Swarm;
            if (swarm is not null && swarm.LocalNodeState is not "inactive")
            {
                await client.Swarm.LeaveAsync(force: true);
            }
        }
    }

    /// <summary>scripts/swarm-lab.sh VERB [NODE]; a failure throws with everything the script printed.</summary>
    public static async Task RunScriptAsync(string verb, TimeSpan timeout, string? node = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "swarm-lab.sh"));
        start.ArgumentList.Add(verb);
        if (node is not null)
        {
            start.ArgumentList.Add(node);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start scripts/swarm-lab.sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/swarm-lab.sh {verb} took over {timeout.TotalSeconds} s:\n{await stdout}\n{await stderr}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"the Swarm lab could not {verb} (scripts/swarm-lab.sh exited {process.ExitCode}); it needs root, iproute2, iptables and dockerd:\n{await stdout}\n{await stderr}");
        }
    }
}
