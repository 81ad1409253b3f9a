namespace Gantry.Router.Control;

/// <summary>Tells a client of the server when to log: the first failure of an outage and the first success after it, so a
/// server that is away for an hour costs one warning and one recovery line, not one line per attempt.</summary>
/// <remarks>Used from one loop at a time (each client owns its own, as each logs its own event ids).</remarks>
public sealed class OutageLog
{
    private bool _failing;

    /// <summary>True while the last attempt failed.</summary>
    public bool Failing => _failing;

    /// <summary>Records a failure; true when it starts an outage (log it).</summary>
    public bool Failed()
    {
        var first = !_failing;
        _failing = true;
        return first;
    }

    /// <summary>Records a success; true when it ends an outage (log the recovery).</summary>
    public bool Succeeded()
    {
        var ended = _failing;
        _failing = false;
        return ended;
    }
}
