using System.Reflection;

namespace Gantry.Cli;

/// <summary>The CLI's own version, from the assembly's informational version (without the source hash suffix).</summary>
public static class CliVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
