using Gantry.Model.Api.Identity;

namespace Gantry.Console.Settings;

/// <summary>A user just created from the console, with the generated password the admin hands over (shown once, never kept).</summary>
public sealed record NewUser(UserView User, string Password);
