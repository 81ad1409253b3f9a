using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server;

/// <summary>The API's one error shape and its NDJSON streaming, in one place.</summary>
public static class ApiResults
{
    public static IResult Problem(int status, string title, string? detail = null, IReadOnlyList<Diagnostic>? errors = null) =>
        Problem(ProblemBody(status, title, detail, errors));

    public static IResult Problem(ApiProblem problem) =>
        Results.Json(problem, ApiJsonContext.Default.ApiProblem, "application/problem+json", problem.Status);

    public static IResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not found", what);

    /// <summary>
    /// A change request's outcome as an HTTP answer: accepted is <paramref name="accepted"/>'s answer (202, or 200 for a dry run);
    /// invalid 422 with the located errors (titled <paramref name="invalidTitle"/>); refused 409 titled "<paramref name="verb"/> refused";
    /// conflict 409; missing 404.
    /// </summary>
    public static IResult FromOutcome<T>(Apps.ChangeOutcome<T> outcome, string verb, string invalidTitle, Func<T, IResult> accepted)
        where T : class => outcome.Kind == Apps.ChangeOutcomeKind.Accepted
            ? accepted(outcome.Response!)
            : Problem(ProblemOf(outcome, verb, invalidTitle)!);

    /// <summary>
    /// The problem a change that was not accepted answers with (null when it was): the API sends it, the console shows it,
    /// so both say the same words.
    /// </summary>
    public static ApiProblem? ProblemOf<T>(Apps.ChangeOutcome<T> outcome, string verb, string invalidTitle)
        where T : class => outcome.Kind switch
    {
        Apps.ChangeOutcomeKind.Accepted => null,
        Apps.ChangeOutcomeKind.Invalid => ProblemBody(StatusCodes.Status422UnprocessableEntity, invalidTitle,
            $"{outcome.Errors.Count} error(s); nothing was changed", outcome.Errors),
        Apps.ChangeOutcomeKind.Refused => ProblemBody(StatusCodes.Status409Conflict, $"{verb} refused", outcome.Reason),
        Apps.ChangeOutcomeKind.Conflict => ProblemBody(StatusCodes.Status409Conflict, "Conflict", outcome.Reason),
        Apps.ChangeOutcomeKind.Forbidden => ProblemBody(StatusCodes.Status403Forbidden, "Forbidden", outcome.Reason),
        _ => ProblemBody(StatusCodes.Status404NotFound, "Not found", outcome.Reason ?? "not found"),
    };

    public static ApiProblem ProblemBody(int status, string title, string? detail = null, IReadOnlyList<Diagnostic>? errors = null) =>
        new($"https://gantry.dev/errors/{Slug(title)}", title, status) { Detail = detail, Errors = errors };

    /// <summary>
    /// Where a request body stopped being valid JSON ("at $.variables, line 1, byte 14"), without the
    /// serializer's message: that one names .NET types, which are none of the client's business.
    /// </summary>
    public static string Where(JsonException e) =>
        "at " + (string.IsNullOrEmpty(e.Path) ? "$" : e.Path)
        + (e.LineNumber is { } line ? $", line {line + 1}" : "")
        + (e.BytePositionInLine is { } position ? $", byte {position + 1}" : "");

    /// <summary>
    /// A JSON request body as <typeparamref name="T"/>, or the 400 that says what the body should have been
    /// (<paramref name="what"/>, with an example where it helps) and where it stopped being valid JSON. JSON null gives
    /// (null, null): what a missing value means is the endpoint's to say.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type, string what,
        CancellationToken ct) where T : class
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync(context.Request.Body, type, ct), null);
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Bad request", $"the body is not {what} ({Where(e)})"));
        }
    }

    public static async Task WriteProblemAsync(HttpContext context, ApiProblem problem)
    {
        context.Response.StatusCode = problem.Status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, ApiJsonContext.Default.ApiProblem, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Streams items as newline-delimited JSON, flushing each line so followers see it at once.</summary>
    public static async Task WriteNdjsonAsync<T>(HttpContext context, IAsyncEnumerable<T> items, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        context.Response.ContentType = "application/x-ndjson";
        context.Response.Headers.CacheControl = "no-cache";
        // Proxies must not buffer a followed stream.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            // Sent whenever the next item is not ready at once (or 32 KiB wait): a followed stream sends each item as it comes,
            // and a long history (thousands of stored log lines) leaves in full buffers instead of one write per item.
            var body = context.Response.BodyWriter;
            await using var each = items.GetAsyncEnumerator(context.RequestAborted);
            var next = each.MoveNextAsync();
            using var json = new System.Text.Json.Utf8JsonWriter(body);
            long unsent = 0;
            while (true)
            {
                if (!next.IsCompleted || unsent > 32 << 10)
                {
                    await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    unsent = 0;
                }
                if (!await next.ConfigureAwait(false))
                {
                    break;
                }
                JsonSerializer.Serialize(json, each.Current, info);
                json.Flush();
                unsent += json.BytesCommitted;
                json.Reset();
                body.Write("\n"u8);
                unsent++;
                next = each.MoveNextAsync();
            }
            await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: not an error.
        }
    }

    private static string Slug(string title) => title.ToLowerInvariant().Replace(' ', '-');
}
