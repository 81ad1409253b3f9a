namespace Gantry.Console;

/// <summary>
/// Endpoint metadata marking a console page or asset: the server's bearer-token gate leaves these to the console's
/// cookie session (and the asset endpoint to nobody), and still guards every other endpoint it does not know.
/// </summary>
public sealed class ConsoleEndpoint
{
    public static ConsoleEndpoint Instance { get; } = new();

    private ConsoleEndpoint()
    {
    }
}
