// Runs Gantry's registry alone on Kestrel for bench/registry/run.sh: anonymous access (docker-registry runs without
// auth in the same run), storage under the given directory, until SIGTERM.
using Gantry.Registry;

if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: Gantry.Registry.BenchHost <root-directory> <url, e.g. http://127.0.0.1:15001>");
    return 2;
}

var options = new RegistryOptions { RootDirectory = args[0], RequireAuth = false, GarbageCollectionInterval = TimeSpan.Zero };
await using RegistryHost host = await RegistryHost.StartAsync(options, args[1]);
Console.WriteLine($"gantry registry listening on {host.BaseAddress}");
using var stop = new CancellationTokenSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
