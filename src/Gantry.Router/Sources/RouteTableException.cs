using Gantry.Router.Contracts.Routes;


namespace Gantry.Router.Sources;

/// <summary>A route table that cannot be used, with every error found and where it came from.</summary>
public sealed class RouteTableException : Exception
{
    public RouteTableException(string source, IReadOnlyList<ConfigError> errors)
        : base($"{source}: route table rejected:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
    {
        TableSource = source;
        Errors = errors;
    }

    public RouteTableException()
        : this("route table", [])
    {
    }

    public RouteTableException(string message)
        : base(message)
    {
        Errors = [];
    }

    public RouteTableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>The file or feed the table came from.</summary>
    public string TableSource { get; } = "route table";
}
