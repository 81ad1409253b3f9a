namespace Gantry.Controllers.Apps;

/// <summary>Where controllers record what they did and saw, for `gantry events` and deploy progress.</summary>
public interface IAppEvents
{
    Task RecordAsync(string app, string? service, string? replica, string type, string reason, string message, CancellationToken ct);
}
