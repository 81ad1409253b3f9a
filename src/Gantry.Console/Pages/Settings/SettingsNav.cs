namespace Gantry.Console.Pages.Settings;

/// <summary>The tabs above the Settings pages: Users, Teams and Audit for admins only, Tokens for everyone.</summary>
/// <param name="Current">users, teams, tokens or audit.</param>
public sealed record SettingsNav(string Current, bool IsAdmin);
