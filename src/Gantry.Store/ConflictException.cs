namespace Gantry.Store;

/// <summary>The write contradicts the resource's state: it already exists, or it is being deleted.</summary>
public sealed class ConflictException : StoreException
{
    public ConflictException(string kind, string name, string message)
        : base(kind, name, message)
    {
    }
}
