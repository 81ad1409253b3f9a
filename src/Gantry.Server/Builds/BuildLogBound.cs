namespace Gantry.Server.Builds;

/// <summary>What becomes of one more line of a build's output under the log's size cap.</summary>
public enum BuildLogAdmission
{
    /// <summary>Written.</summary>
    Keep,

    /// <summary>The line that reaches the cap: the log says it is cut instead, once.</summary>
    Cut,

    /// <summary>After the cut: counted, not written.</summary>
    Drop,
}

/// <summary>Pure: the size cap of one build's log. A cut log ends with the note of the cut, and the count of what was not kept.</summary>
public static class BuildLogBound
{
    public static BuildLogAdmission Admit(long kept, bool cut, long lineBytes, long cap) =>
        cut ? BuildLogAdmission.Drop
        : kept + lineBytes <= cap ? BuildLogAdmission.Keep
        : BuildLogAdmission.Cut;

    public static string CutNote(long cap) => $"gantry: the log is cut here: it reached {ByteText(cap)} (--build-log-size); the build goes on";

    public static string DroppedNote(long bytes, long lines) => $"gantry: {lines} more line{(lines == 1 ? "" : "s")} ({ByteText(bytes)}) of output not kept";

    public static string ByteText(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KiB",
        _ => $"{bytes} B",
    };
}
