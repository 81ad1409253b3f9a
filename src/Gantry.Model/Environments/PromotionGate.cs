namespace Gantry.Model.Environments;

/// <summary>
/// What follows a release going live in an environment (docs/decisions/0032): its images promoted to <see cref="To"/>
/// automatically, or held there until a deployer approves (`gantry promote`). Kept on the source environment's record.
/// </summary>
public sealed record PromotionGate(string To, string Mode)
{
    public const string Auto = "auto";

    public const string Approval = "approval";

    /// <summary>Why <paramref name="gate"/> cannot be set on <paramref name="from"/> of <paramref name="app"/>, or null.</summary>
    /// <param name="gates">The app's other gates by source environment (a chain must not come back to where it started).</param>
    public static string? Check(string app, string from, PromotionGate gate, IReadOnlyDictionary<string, PromotionGate> gates)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(gates);
        if (gate.Mode is not (Auto or Approval))
        {
            return $"mode '{gate.Mode}' is not a gate: use {Auto} (promote once live) or {Approval} (wait for 'gantry promote')";
        }
        if (EnvironmentNames.Check(app, gate.To) is { } error)
        {
            return "to: " + error;
        }
        if (gate.To == from)
        {
            return $"'{from}' cannot promote to itself: name the environment that takes its releases, e.g. {EnvironmentNames.Production}";
        }
        // Follow the chain from the target: it must end, not come back to `from`.
        var chain = new List<string> { from, gate.To };
        for (var at = gate.To; gates.TryGetValue(at, out var next) && chain.Count <= gates.Count + 1; at = next.To)
        {
            chain.Add(next.To);
            if (next.To == from)
            {
                return $"'{from}' -> '{gate.To}' would make a loop ({string.Join(" -> ", chain)}): a chain of gates ends in one environment";
            }
        }
        return null;
    }
}
