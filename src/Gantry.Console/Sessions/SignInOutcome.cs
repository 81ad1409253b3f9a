namespace Gantry.Console.Sessions;

/// <summary>A sign-in's result, with the issued token (signed in) or the wait (locked out).</summary>
public sealed record SignInOutcome(SignInStatus Status)
{
    /// <summary>The user name the token belongs to (as the server knows it, e.g. "admin" for the admin token).</summary>
    public string? User { get; init; }

    /// <summary>The login token's secret, kept only inside the encrypted session cookie.</summary>
    public string? Token { get; init; }

    /// <summary>When the token expires: the session never outlives it.</summary>
    public DateTimeOffset? Expires { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static SignInOutcome Refused { get; } = new(SignInStatus.Refused);
}
