using System.Text.RegularExpressions;

namespace Gantry.Model.Environments;

/// <summary>
/// How an app's environments are named and where each one runs (docs/decisions/0024): environment E of app A is its own
/// stored app, `A` for production (so apps deployed before environments are their production) and `A-E` for any other.
/// </summary>
public static partial class EnvironmentNames
{
    /// <summary>The environment an app name alone means, and the one apps deployed before environments are in.</summary>
    public const string Production = "production";

    /// <summary>Where a `git push` of the deploy branch goes unless the server is told otherwise (issue 13).</summary>
    public const string DefaultPushEnvironment = "staging";

    [GeneratedRegex("^[a-z][a-z0-9]*$")]
    private static partial Regex Pattern();

    /// <summary>Lower-case letters and digits, starting with a letter, at most 20: no '-', so `A-E` reads back one way.</summary>
    public static bool IsValid(string environment) => environment.Length is > 0 and <= 20 && Pattern().IsMatch(environment);

    /// <summary>The stored app that environment <paramref name="environment"/> of <paramref name="app"/> runs as.</summary>
    public static string InstanceOf(string app, string environment) =>
        environment == Production ? app : $"{app}-{environment}";

    /// <summary>Null when the pair is usable; otherwise what is wrong and what to do, naming the value.</summary>
    public static string? Check(string app, string environment)
    {
        if (!IsValid(environment))
        {
            return $"'{environment}' is not a valid environment name: use lower-case letters and digits, starting with a letter (at most 20), e.g. staging or production";
        }
        var instance = InstanceOf(app, environment);
        return Names.IsValidAppName(instance) ? null
            : $"'{instance}' (app '{app}' in environment '{environment}') is not a valid app name: it must be at most 63 lower-case letters, digits, '-' and '_'; use a shorter app or environment name";
    }
}
