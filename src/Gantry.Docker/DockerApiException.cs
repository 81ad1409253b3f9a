using System.Net;

namespace Gantry.Docker;

/// <summary>The Docker daemon understood the request and refused it (a 4xx/5xx answer, or an error inside a progress stream).</summary>
public sealed class DockerApiException : Exception
{
    /// <summary>Creates the exception from the daemon's status code and its <c>message</c> field.</summary>
    public DockerApiException(HttpStatusCode statusCode, string message, string? operation = null)
        : base(operation is null ? $"Docker daemon answered {(int)statusCode}: {message}" : $"{operation}: Docker daemon answered {(int)statusCode}: {message}")
    {
        StatusCode = statusCode;
        DaemonMessage = message;
    }

    /// <summary>The HTTP status the daemon answered with; 200 when the error arrived inside a streamed body (build, pull, push).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The daemon's own <c>message</c> text, unchanged.</summary>
    public string DaemonMessage { get; }

    /// <summary>True when the error was reported inside a 200 progress stream rather than as the response status.</summary>
    public bool InStream => StatusCode == HttpStatusCode.OK;

    /// <summary>The object (container, image, network, volume) does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>The request conflicts with current state (name in use, container running, image in use).</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;
}
