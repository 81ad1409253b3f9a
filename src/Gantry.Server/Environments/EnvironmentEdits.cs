using System.Text.RegularExpressions;
using Gantry.Model.Environments;

namespace Gantry.Server.Environments;

/// <summary>Pure: the checks and changes of an environment's variables and secrets, each error naming the value and the fix.</summary>
public static partial class EnvironmentEdits
{
    /// <summary>The largest secret value taken (a key file or certificate fits; a database dump does not belong here).</summary>
    public const int MaxSecretBytes = 64 * 1024;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    /// <summary>What compose accepts as a secret's key, so `secrets: NAME: external: true` can name it.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex SecretName();

    public static string? CheckVariableName(string name) => name.Length <= 255 && VariableName().IsMatch(name) ? null
        : $"'{name}' is not a variable name: use letters, digits and '_', not starting with a digit (as the shell does)";

    public static string? CheckSecretName(string name) => name.Length <= 63 && SecretName().IsMatch(name) ? null
        : $"'{name}' is not a secret name: use letters, digits, '_', '.' and '-', starting with a letter or digit (at most 63), as compose's secrets: keys";

    public static string? CheckSecretValue(string name, int bytes) => bytes switch
    {
        0 => $"secret '{name}' got an empty value: pipe the value into the command (printf %s \"$VALUE\" | gantry secrets set APP --env ENV {name})",
        > MaxSecretBytes => $"secret '{name}' is {bytes} bytes; at most {MaxSecretBytes} are taken: mount bigger files as a volume",
        _ => null,
    };

    /// <summary>Sets and removes variables; every bad name is reported, and nothing changes when there is one.</summary>
    public static (EnvironmentRecord Record, IReadOnlyList<string> Errors) ChangeVariables(EnvironmentRecord record, IReadOnlyDictionary<string, string> set, IReadOnlyList<string> unset)
    {
        var errors = set.Keys.Concat(unset).Select(CheckVariableName).OfType<string>().ToList();
        foreach (var name in unset.Where(n => !record.Variables.ContainsKey(n) && CheckVariableName(n) is null))
        {
            errors.Add($"'{name}' is not set in {record.Name}: 'gantry vars {record.App} --env {record.Name}' lists what is");
        }
        if (errors.Count > 0)
        {
            return (record, errors);
        }
        var variables = new SortedDictionary<string, string>(record.Variables.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in set)
        {
            variables[key] = value;
        }
        foreach (var key in unset)
        {
            variables.Remove(key);
        }
        return (record with { Variables = variables }, []);
    }

    /// <summary>Adds a new version of a secret (the next number, never reused: a release names the version it mounts).</summary>
    public static (EnvironmentRecord Record, long Version) AddSecretVersion(EnvironmentRecord record, string name, Func<long, string> seal, DateTimeOffset now, string actor)
    {
        var versions = record.Secrets.TryGetValue(name, out var existing) ? existing : [];
        var version = versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1;
        var secrets = new SortedDictionary<string, IReadOnlyList<SecretVersion>>(record.Secrets.ToDictionary(), StringComparer.Ordinal)
        {
            [name] = [.. versions, new SecretVersion(version, now, actor, seal(version))],
        };
        return (record with { Secrets = secrets }, version);
    }

    /// <summary>The newest version of a secret, or null when the environment has none by that name.</summary>
    public static SecretVersion? Newest(EnvironmentRecord record, string name) =>
        record.Secrets.TryGetValue(name, out var versions) && versions.Count > 0 ? versions.MaxBy(v => v.Version) : null;
}
