namespace Gantry.Store;

/// <summary>The resource the write refers to does not exist.</summary>
public sealed class NotFoundException : StoreException
{
    public NotFoundException(string kind, string name)
        : base(kind, name, $"{kind} '{name}' does not exist.")
    {
    }
}
