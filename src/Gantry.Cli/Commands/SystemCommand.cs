using System.CommandLine;

namespace Gantry.Cli.Commands;

/// <summary>`gantry system`: the installation as a whole: `df` (disk use by part) and `prune` (apply the retention rules).</summary>
public static class SystemCommand
{
    public static Command Create(CliContext context) =>
        new("system", "Disk usage and cleanup of the whole installation")
        {
            SystemDfCommand.Create(context),
            SystemPruneCommand.Create(context),
        };
}
