using System.CommandLine;
using System.Runtime.InteropServices;

namespace Gantry.Cli.Commands;

/// <summary>`gantry version`: the CLI's version and runtime.</summary>
public static class VersionCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("version", "Show the gantry CLI version");
        command.SetAction(async (_, _) =>
        {
            await context.Out.WriteLineAsync($"gantry {CliVersion.Current} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier})").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
