using System.CommandLine;
using Gantry.Logging;

namespace Gantry.Cli.Commands;

/// <summary>`--log-file`, `--log-max-size`, `--log-keep`: the server and the router write their own log to a file rotated by
/// size when asked, instead of the console (whose redirect to a file nothing would ever rotate).</summary>
public sealed class LogFileOptions
{
    public Option<string> File { get; } = new("--log-file") { Description = "Write this process's log to FILE, rotated by size, instead of the console" };

    public Option<string> MaxSize { get; } = new("--log-max-size") { Description = "Rotate the log file at this size; default 10MB", HelpName = "size" };

    public Option<int?> Keep { get; } = new("--log-keep") { Description = "Rotated log files kept; default 5", HelpName = "count" };

    public void AddTo(Command command)
    {
        command.Add(File);
        command.Add(MaxSize);
        command.Add(Keep);
    }

    /// <summary>The rotating log the command line asks for, or null for the console.</summary>
    public RotatingFileOptions? Read(ParseResult parse) => parse.GetValue(File) is { } path
        ? new RotatingFileOptions
        {
            Path = path,
            MaxBytes = Size(parse.GetValue(MaxSize), "--log-max-size") ?? 10L << 20,
            Keep = parse.GetValue(Keep) ?? 5,
        }
        : null;

    /// <summary>Parses a size option ("100MB", "10M", "4096"); a usage error names the option and an example.</summary>
    public static long? Size(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        return ByteSize.Parse(text) is { } bytes and >= 1024
            ? bytes
            : throw new CliException(ExitCodes.Usage, $"{option} '{text}' is not a size of at least 1KB; use e.g. 100MB, 512K or 1G");
    }
}
