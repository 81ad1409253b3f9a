namespace Gantry.Server.Git;

/// <summary>
/// What `git push -o ...` asked for: `async` (return once the build is queued, or the deploy accepted when nothing is
/// built; the pipeline goes on in the server, docs/decisions/0026), `team=T` (the team a new app is created in) and `env=E` (the environment to deploy to instead of the server's
/// push environment, docs/decisions/0024). Anything else is refused by name, so a typo never passes silently.
/// </summary>
public sealed record PushOptions(bool Async, string? Team, string? Environment = null)
{
    public static readonly PushOptions None = new(false, null);

    public static PushOptions? Parse(IReadOnlyList<string> options, out string error)
    {
        error = "";
        var async = false;
        string? team = null;
        string? environment = null;
        foreach (var option in options)
        {
            if (option == "async")
            {
                async = true;
            }
            else if (option.StartsWith("team=", StringComparison.Ordinal) && option.Length > 5)
            {
                team = option[5..];
                if (!Model.Names.IsValidAppName(team))
                {
                    error = $"push option 'team={Printable(team)}' does not name a valid team";
                    return null;
                }
            }
            else if (option.StartsWith("env=", StringComparison.Ordinal))
            {
                environment = option[4..];
                if (!Model.Environments.EnvironmentNames.IsValid(environment))
                {
                    error = $"push option 'env={Printable(environment)}' does not name a valid environment: lower-case letters and digits, e.g. -o env=staging";
                    return null;
                }
            }
            else
            {
                error = $"unknown push option '{Printable(option)}': Gantry knows '-o async' (do not wait for the build and rollout), '-o team=TEAM' (the team of a new app) and '-o env=ENV' (the environment to deploy to)";
                return null;
            }
        }
        return new PushOptions(async, team, environment);
    }

    private static string Printable(string value) => new([.. value.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
}
