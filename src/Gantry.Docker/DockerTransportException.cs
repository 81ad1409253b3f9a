namespace Gantry.Docker;

/// <summary>The request never got a complete answer from the daemon: the socket could not be reached, broke, or timed out.</summary>
public sealed class DockerTransportException : Exception
{
    /// <summary>Creates the exception with a message that names the endpoint and the underlying failure.</summary>
    public DockerTransportException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Always true: transport failures are worth retrying with backoff (the daemon may be restarting).</summary>
    public bool IsTransient => true;
}
