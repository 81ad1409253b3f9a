using System.Runtime.InteropServices;
using Gantry.Bench.DeployUnderLoad;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("deploy-under-load: " + e.Message).ConfigureAwait(false);
    return 2;
}

// Ctrl-C or a SIGTERM ends the scenario early, but still through its cleanup (app, router, server).
using var interrupted = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

Console.Out.WriteLine($"deploy-under-load: {options.Rounds} deploys, {options.Rollbacks} rollbacks, concurrency {options.Concurrency}; work directory {options.WorkDirectory}");
var result = await new Scenario(options, Console.Out).RunAsync(interrupted.Token).ConfigureAwait(false);
ResultPrinter.Print(result, options, Console.Out);
return result.Problems(options).Count == 0 ? 0 : 1;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}
