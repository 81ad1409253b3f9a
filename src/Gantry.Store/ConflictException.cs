namespace Gantry.Store;

/// <summary>The write contradicts the resource's state: it already exists, or it is being deleted.</summary>
public sealed class ConflictException : StoreException
{
    public ConflictException(string kind, string name, string message)
        : base(kind, name, message)
    {
    }

    /// <summary>A create met a resource of that name that is not being deleted: a name chosen from a fresh read may be free.</summary>
    public bool NameTaken { get; init; }
}
