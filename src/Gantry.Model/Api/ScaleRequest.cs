namespace Gantry.Model.Api;

/// <summary>`POST /api/v1/apps/{app}/scale`: new replica counts by service name.</summary>
public sealed record ScaleRequest(IReadOnlyDictionary<string, int> Replicas);
