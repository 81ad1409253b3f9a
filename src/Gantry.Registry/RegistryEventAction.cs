namespace Gantry.Registry;

/// <summary>Kinds of registry events; push is the one that drives redeploys.</summary>
public enum RegistryEventAction
{
    Push,
    Delete,
}
