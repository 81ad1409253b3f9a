namespace Gantry.LoadGen;

/// <summary>Starts closed-loop, constant-concurrency HTTP/1.1 load; the returned <see cref="LoadRun"/> marks phases and reports.</summary>
public static class LoadRunner
{
    /// <summary>Validates <paramref name="options"/> and starts its workers at once; stop them with <see cref="LoadRun.StopAsync"/>.</summary>
    public static LoadRun Start(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var run = new LoadRun(options);
        run.StartWorkers();
        return run;
    }
}
