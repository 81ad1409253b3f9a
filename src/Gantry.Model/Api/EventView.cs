namespace Gantry.Model.Api;

/// <summary>An event as the API returns it (`GET /api/v1/apps/{app}/events`).</summary>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">A stable CamelCase word, see <see cref="EventReasons"/>.</param>
public sealed record EventView(long Id, DateTimeOffset Time, string Type, string Reason, string Message)
{
    public string? App { get; init; }

    public string? Service { get; init; }

    public string? Replica { get; init; }
}
