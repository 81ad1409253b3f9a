namespace Gantry.Console.Pages.Apps;

/// <summary>The tabs above every page of one app; Deploy only for those who may deploy it.</summary>
/// <param name="Current">overview, releases, requests, metrics, logs or deploy.</param>
public sealed record AppNav(string App, string Current, bool CanDeploy);
