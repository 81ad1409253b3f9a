namespace Gantry.Bench.DeployUnderLoad;

/// <summary>The scenario cannot go on (setup failed, the server did not come back); the message says why.</summary>
public sealed class BenchAbortedException(string message) : Exception(message);
