using System.Text.Json;

namespace Gantry.Model.Status;

/// <summary>
/// Whether two statuses say the same thing. Clocks that move on their own (<see cref="AppStatus.ObservedAt"/>)
/// are ignored, so a converged app's status is written once and not again at every pass.
/// </summary>
public static class AppStatusMeaning
{
    public static bool Same(AppStatus? a, AppStatus? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        return Canonical(a) == Canonical(b);
    }

    private static string Canonical(AppStatus status) =>
        JsonSerializer.Serialize(status with { ObservedAt = null }, ModelJsonContext.Default.AppStatus);
}
