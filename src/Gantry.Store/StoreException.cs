namespace Gantry.Store;

/// <summary>Base of the errors where the store refused a request because of the stored state (not I/O failures).</summary>
public abstract class StoreException : Exception
{
    protected StoreException(string kind, string name, string message)
        : base(message)
    {
        Kind = kind;
        Name = name;
    }

    public string Kind { get; }

    public string Name { get; }
}
