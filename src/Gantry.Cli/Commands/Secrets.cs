namespace Gantry.Cli.Commands;

/// <summary>Passwords are read from standard input, one per line, never from the command line (where `ps` and the shell's history would keep them).</summary>
internal static class Secrets
{
    public static async Task<string> ReadLineAsync(string what, CancellationToken cancellationToken)
    {
        if (!System.Console.IsInputRedirected)
        {
            await System.Console.Error.WriteAsync($"{what}: ").ConfigureAwait(false);
        }
        var line = await System.Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(line))
        {
            throw new CliException(ExitCodes.Usage, $"no {what} on standard input: pipe it in (e.g. `printf '%s\\n' \"$PASSWORD\" | gantry ...`)");
        }
        return line;
    }
}
