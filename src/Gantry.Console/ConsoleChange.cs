using Gantry.Model.Api;

namespace Gantry.Console;

/// <summary>
/// What became of a change the console asked the server for: the API's answer when it was accepted, else the problem the
/// API would have answered with (same status, title, detail and located errors), so a page can say exactly what the CLI says.
/// </summary>
public sealed record ConsoleChange<T>(T? Response, ApiProblem? Problem)
    where T : class
{
    public bool Accepted => Problem is null;

    public static ConsoleChange<T> Done(T response) => new(response, null);

    public static ConsoleChange<T> Failed(ApiProblem problem) => new(null, problem);
}
