namespace Gantry.Cli.Commands;

/// <summary>Passwords are read from standard input, one per line, never from the command line (where `ps` and the shell's history would keep them).</summary>
internal static class Secrets
{
    public static async Task<string> ReadLineAsync(CliContext context, string what, CancellationToken cancellationToken)
    {
        if (context.InteractiveInput)
        {
            await context.Error.WriteAsync($"{what}: ").ConfigureAwait(false);
        }
        var line = await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(line))
        {
            throw new CliException(ExitCodes.Usage, $"no {what} on standard input: pipe it in (e.g. `printf '%s\\n' \"$PASSWORD\" | gantry ...`)");
        }
        return line;
    }
}
