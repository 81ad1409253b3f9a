namespace Gantry.Registry;

/// <summary>What a principal may do in a repository, as in the token scope "repository:name:pull,push,delete".</summary>
[Flags]
public enum RegistryActions
{
    None = 0,
    Pull = 1,
    Push = 2,
    Delete = 4,
    All = Pull | Push | Delete,
}
