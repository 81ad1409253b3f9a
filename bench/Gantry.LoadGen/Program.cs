using Gantry.LoadGen;
using Gantry.LoadGen.CommandLine;

LoadGenArguments arguments;
try
{
    arguments = LoadGenArguments.Parse(args);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync("gantry-loadgen: " + e.Message).ConfigureAwait(false);
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};
var load = arguments.Load;
await Console.Out.WriteLineAsync(
    $"gantry-loadgen: {load.Concurrency} connections to {load.Url}{(load.Host is null ? "" : " (Host: " + load.Host + ")")} for {arguments.Duration.TotalSeconds:0.#} s").ConfigureAwait(false);
var run = LoadRunner.Start(load);
try
{
    await Task.Delay(arguments.Duration, interrupted.Token).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
    await Console.Out.WriteLineAsync("interrupted; stopping").ConfigureAwait(false);
}
await run.StopAsync().ConfigureAwait(false);
var report = run.Report();
foreach (var line in LoadReportText.Summary(report))
{
    await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
}
return report.Failed == 0 ? 0 : 1;
