namespace Gantry.Compose.DotEnv;

/// <summary>Variables read from one dotenv file, in file order, and the problems found (1-based line each).</summary>
internal sealed record DotEnvResult(IReadOnlyList<KeyValuePair<string, string>> Values, IReadOnlyList<(int Line, string Message)> Errors)
{
    public Dictionary<string, string> ToDictionary()
    {
        var dict = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Values)
        {
            dict[key] = value;
        }
        return dict;
    }
}
