namespace Gantry.Logging;

/// <summary>Where a rotating file lives and how much of it is kept: the current file plus <see cref="Keep"/> rotated ones,
/// each up to about <see cref="MaxBytes"/>, so the whole never takes more than (Keep + 1) × MaxBytes (plus one flush).</summary>
public sealed record RotatingFileOptions
{
    public required string Path { get; init; }

    /// <summary>Size at which the file is rotated (checked when it is flushed, so one flush may overshoot it).</summary>
    public long MaxBytes { get; init; } = 100L << 20;

    /// <summary>Rotated files kept: PATH.1 (newest) ... PATH.Keep (oldest); 0 keeps none (the file is cut at MaxBytes).</summary>
    public int Keep { get; init; } = 5;

    /// <summary>Every problem with these options, each naming the field and what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Path))
        {
            errors.Add("the log path is empty: give a file path such as /var/log/gantry/server.log");
        }
        if (MaxBytes < 1024)
        {
            errors.Add($"the log size limit is {MaxBytes} bytes: use at least 1 KiB (e.g. 100MB)");
        }
        if (Keep is < 0 or > 1000)
        {
            errors.Add($"the number of rotated logs to keep is {Keep}: use 0 to 1000");
        }
        return errors;
    }
}
