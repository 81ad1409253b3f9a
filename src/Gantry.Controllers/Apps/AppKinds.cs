namespace Gantry.Controllers.Apps;

/// <summary>Store kinds the app controller owns.</summary>
public static class AppKinds
{
    public const string App = "App";
}
