namespace Gantry.Docker.Transport;

/// <summary>One Engine API call: method, path below the version prefix, query, optional body and headers.</summary>
internal sealed record DockerRequest
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    private DockerRequest(HttpMethod method, string path, QueryString? query, bool versioned)
    {
        Method = method;
        Path = path;
        Query = query?.ToString() ?? string.Empty;
        Versioned = versioned;
    }

    public HttpMethod Method { get; }

    public string Path { get; }

    public string Query { get; }

    public bool Versioned { get; }

    public HttpContent? Content { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = NoHeaders;

    public string PathAndQuery => Path + Query;

    public static DockerRequest Get(string path, QueryString? query = null) => new(HttpMethod.Get, path, query, true);

    public static DockerRequest Post(string path, QueryString? query = null) => new(HttpMethod.Post, path, query, true);

    public static DockerRequest Delete(string path, QueryString? query = null) => new(HttpMethod.Delete, path, query, true);

    /// <summary>For <c>/_ping</c> and <c>/version</c>, which are called before the version is known.</summary>
    public static DockerRequest Unversioned(HttpMethod method, string path) => new(method, path, null, false);

    /// <summary>Escapes one path segment (a name or id supplied by the caller).</summary>
    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    /// <summary>"GET /containers/x/json" for messages; the query is left out because it may carry auth-free but long filters.</summary>
    public string Describe() => $"{Method.Method} {Path}";
}
