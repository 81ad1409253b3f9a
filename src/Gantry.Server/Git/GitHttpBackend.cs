using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Git;

/// <summary>
/// Runs Debian's `git http-backend` as a CGI program for one request: the request body streams into its standard input
/// (gzip'd bodies are inflated by git itself, told by HTTP_CONTENT_ENCODING), its CGI head becomes the response's status
/// and headers, and its body streams out as git writes it, flushed at once so `remote:` progress reaches the client while a
/// push runs. Nothing is buffered whole: a pack of any size costs one 16 KiB buffer each way.
/// </summary>
public sealed class GitHttpBackend(GitRepositories repositories, ILogger<GitHttpBackend> logger)
{
    private const int BufferSize = 16 * 1024;

    /// <param name="app">A parsed app name: the repository is `/APP.git` under the project root.</param>
    /// <param name="rest">What follows the repository in the path: `info/refs`, `git-upload-pack` or `git-receive-pack`.</param>
    /// <param name="extra">Environment for this run only (a push's hook credential); never logged.</param>
    public async Task RunAsync(HttpContext context, string app, string rest, string remoteUser, IReadOnlyDictionary<string, string>? extra, CancellationToken ct)
    {
        var request = context.Request;
        var env = GitProcess.BaseEnvironment();
        env["GIT_PROJECT_ROOT"] = repositories.Root;
        env["GIT_HTTP_EXPORT_ALL"] = "1";
        env["GATEWAY_INTERFACE"] = "CGI/1.1";
        env["SERVER_PROTOCOL"] = request.Protocol;
        env["REQUEST_METHOD"] = request.Method;
        env["PATH_INFO"] = $"/{app}{GitRepositoryName.Suffix}/{rest}";
        env["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        env["REMOTE_USER"] = remoteUser;
        env["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (request.ContentType is { Length: > 0 } contentType)
        {
            env["CONTENT_TYPE"] = contentType;
        }
        // A chunked body (git sends large packs so) has no length: git then reads its input to the end.
        if (request.ContentLength is { } length)
        {
            env["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        }
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            env["HTTP_CONTENT_ENCODING"] = encoding;
        }
        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            env["HTTP_GIT_PROTOCOL"] = protocol;
        }
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        using var process = GitProcess.Start(["http-backend"], env, repositories.Root, redirectInput: true);
        await using var kill = ct.Register(() => Kill(process));
        var errors = ReadErrorsAsync(process.StandardError);
        var input = PumpInputAsync(request.Body, process.StandardInput.BaseStream, ct);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BufferSize, CgiHeaderParser.MaxHeadBytes));
        try
        {
            var output = process.StandardOutput.BaseStream;
            var filled = 0;
            var bodyStart = -1;
            while (bodyStart < 0)
            {
                var read = filled < CgiHeaderParser.MaxHeadBytes ? await output.ReadAsync(buffer.AsMemory(filled, CgiHeaderParser.MaxHeadBytes - filled), ct).ConfigureAwait(false) : 0;
                if (read == 0)
                {
                    await FailAsync(context, process, errors, filled == 0 ? "git http-backend ended without a response" : "git http-backend wrote no complete CGI head").ConfigureAwait(false);
                    return;
                }
                filled += read;
                bodyStart = CgiHeaderParser.FindBodyStart(buffer.AsSpan(0, filled));
            }
            if (CgiHeaderParser.Parse(buffer.AsSpan(0, bodyStart), out var headError) is not { } head)
            {
                await FailAsync(context, process, errors, headError).ConfigureAwait(false);
                return;
            }
            context.Response.StatusCode = head.Status;
            foreach (var (name, value) in head.Headers)
            {
                if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers.Append(name, value);
                }
            }
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var body = context.Response.Body;
            if (filled > bodyStart)
            {
                await body.WriteAsync(buffer.AsMemory(bodyStart, filled - bodyStart), ct).ConfigureAwait(false);
            }
            await body.FlushAsync(ct).ConfigureAwait(false);
            int chunk;
            while ((chunk = await output.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false)) > 0)
            {
                await body.WriteAsync(buffer.AsMemory(0, chunk), ct).ConfigureAwait(false);
                await body.FlushAsync(ct).ConfigureAwait(false);
            }
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            var stderr = await errors.ConfigureAwait(false);
            if (process.ExitCode != 0 || stderr.Length > 0)
            {
                GitLog.BackendSaid(logger, request.Method, app, rest, process.ExitCode, stderr);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Kill(process);
            await input.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task FailAsync(HttpContext context, Process process, Task<string> errors, string what)
    {
        Kill(process);
        var stderr = await errors.ConfigureAwait(false);
        GitLog.BackendFailed(logger, context.Request.Method, context.Request.Path.Value ?? "", what, stderr);
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"{what}; the server's log has git's own message\n").ConfigureAwait(false);
        }
    }

    private static async Task PumpInputAsync(Stream from, Stream to, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, BufferSize, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // git stopped reading (it refused the request early); its answer says why.
        }
        finally
        {
            try
            {
                await to.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>What git says on standard error, bounded (it names paths and refs, never credentials).</summary>
    private static async Task<string> ReadErrorsAsync(StreamReader reader)
    {
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        text = text.Trim();
        return text.Length <= 2000 ? text : text[..2000] + "...";
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
