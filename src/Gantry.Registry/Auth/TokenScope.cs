namespace Gantry.Registry.Auth;

/// <summary>Parses and formats Docker token scopes ("repository:team/app:pull,push", "registry:catalog:*").</summary>
public static class TokenScope
{
    /// <summary>Splits a scope into type, name and actions; the name may contain ':' only in the resource type's suffix, so split at the first and last colon.</summary>
    public static bool TryParse(string scope, out string type, out string name, out string[] actions)
    {
        type = name = string.Empty;
        actions = [];
        int first = scope.IndexOf(':', StringComparison.Ordinal);
        int last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first)
        {
            return false;
        }

        type = scope[..first];
        int paren = type.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            type = type[..paren];
        }

        name = scope[(first + 1)..last];
        actions = scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return name.Length > 0;
    }

    public static RegistryActions ParseActions(IEnumerable<string> actions)
    {
        RegistryActions result = RegistryActions.None;
        foreach (string action in actions)
        {
            result |= action switch
            {
                "pull" => RegistryActions.Pull,
                "push" => RegistryActions.Push,
                "delete" => RegistryActions.Delete,
                "*" => RegistryActions.All,
                _ => RegistryActions.None,
            };
        }

        return result;
    }

    public static string[] FormatActions(RegistryActions actions)
    {
        var list = new List<string>(3);
        if (actions.HasFlag(RegistryActions.Pull))
        {
            list.Add("pull");
        }

        if (actions.HasFlag(RegistryActions.Push))
        {
            list.Add("push");
        }

        if (actions.HasFlag(RegistryActions.Delete))
        {
            list.Add("delete");
        }

        return [.. list];
    }
}
