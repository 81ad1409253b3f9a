using System.CommandLine;
using System.Net;
using Gantry.Logging;
using Gantry.Router.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>`gantry router`: runs the data plane in the foreground, fed by the server's route table (or a file).</summary>
public static class RouterCommand
{
    public static Command Create(CliContext context)
    {
        var server = new Option<string>("--from") { Description = "Server whose route table to follow; default $GANTRY_SERVER or the logged-in server" };
        var tokenFile = new Option<string>("--token-file") { Description = "File holding the token for the route feed; default $GANTRY_TOKEN or the logged-in token" };
        var routes = new Option<string>("--routes") { Description = "Serve a static route table from this JSON file instead of a server" };
        var http = new Option<string>("--http") { Description = "External HTTP address; default 0.0.0.0:80" };
        var https = new Option<string>("--https") { Description = "External HTTPS address (certificates from --certs, chosen by SNI)" };
        var certs = new Option<string>("--certs") { Description = "Directory of name.crt + name.key (PEM) or name.pfx certificates" };
        var redirect = new Option<bool>("--redirect-https") { Description = "Answer plain HTTP with a redirect to HTTPS" };
        var @internal = new Option<string>("--internal") { Description = "Internal entrypoint address; default 127.0.0.1:8081" };
        var admin = new Option<string>("--admin") { Description = "Admin address (/metrics, /routes, /requests); default 127.0.0.1:9090" };
        var state = new Option<string>("--state") { Description = "Where the last route table is kept; default $GANTRY_DATA/router or /var/lib/gantry/router" };
        var accessLog = new Option<string>("--access-log") { Description = "Access log path (rotated by size), or 'stdout' (default)" };
        var accessLogMaxSize = new Option<string>("--access-log-max-size") { Description = "Rotate the access log file at this size; default 100MB", HelpName = "size" };
        var accessLogKeep = new Option<int?>("--access-log-keep") { Description = "Rotated access log files kept; default 5", HelpName = "count" };
        var id = new Option<string>("--id") { Description = "The id this router reports to the server under; default host-pid-random" };
        var logFile = new LogFileOptions();
        var command = new Command("router", "Run the Gantry router (data plane) in the foreground")
        {
            server, tokenFile, routes, id, http, https, certs, redirect, @internal, admin, state, accessLog, accessLogMaxSize, accessLogKeep,
        };
        logFile.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            TuneSocketEngine();
            Uri? serverUrl = null;
            string? token = null;
            var routesFile = parse.GetValue(routes);
            if (routesFile is null)
            {
                var connection = context.ResolveConnection(parse.GetValue(server));
                serverUrl = connection.Server;
                token = parse.GetValue(tokenFile) is { } file ? (await File.ReadAllTextAsync(file, ct).ConfigureAwait(false)).Trim() : connection.Token;
                if (string.IsNullOrEmpty(token))
                {
                    throw new CliException(ExitCodes.Unauthorized, "the router needs a token to follow the server's route table: pass --token-file, set GANTRY_TOKEN or run 'gantry login'");
                }
            }
            var dataRoot = context.GetEnvironmentVariable("GANTRY_DATA") ?? "/var/lib/gantry";
            // ASP.NET Core's hosting logs two lines per request at Information: the data plane keeps its own access log instead.
            var logTo = logFile.Read(parse);
            using var loggers = LoggerFactory.Create(b =>
            {
                b.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
                if (logTo is not null)
                {
                    b.AddProvider(new RotatingFileLoggerProvider(logTo, TimeProvider.System));
                }
                else
                {
                    b.AddSimpleConsole(o =>
                    {
                        o.SingleLine = true;
                        o.UseUtcTimestamp = true;
                        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    });
                }
            });
            var options = new RouterOptions
            {
                ServerUrl = serverUrl,
                ServerToken = token,
                RoutesFile = routesFile,
                ExternalHttp = Endpoint(parse.GetValue(http), "--http") ?? new IPEndPoint(IPAddress.Any, 80),
                ExternalHttps = Endpoint(parse.GetValue(https), "--https"),
                CertificatesDirectory = parse.GetValue(certs),
                RedirectToHttps = parse.GetValue(redirect),
                Internal = Endpoint(parse.GetValue(@internal), "--internal") ?? new IPEndPoint(IPAddress.Loopback, 8081),
                Admin = Endpoint(parse.GetValue(admin), "--admin") ?? new IPEndPoint(IPAddress.Loopback, 9090),
                StateDirectory = parse.GetValue(state) ?? Path.Combine(dataRoot, "router"),
                AccessLog = parse.GetValue(accessLog) ?? "stdout",
                AccessLogMaxBytes = LogFileOptions.Size(parse.GetValue(accessLogMaxSize), "--access-log-max-size") ?? 100L << 20,
                AccessLogKeep = parse.GetValue(accessLogKeep) ?? 5,
                LoggerFactory = loggers,
                RouterId = parse.GetValue(id),
            };
            await RouterHost.RunAsync(options, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The socket engine the router runs on, unless the environment already says (docs/decisions/0005): completions inline on
    /// the engine's threads (the request path never blocks), and half the cores as engine threads, at least one. The runtime
    /// reads both once, when the first socket is made, so this runs before anything opens one. Inline completions alone
    /// would make one engine thread per core; on the 2-core bench a second thread competing with the client and the backend
    /// on the same cores cost about 12 % more CPU per request (0.41-0.43 against 0.47-0.51 CPU-seconds per 10k), while a
    /// router on a larger node still gets several threads.
    /// </summary>
    internal static void TuneSocketEngine()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT",
                Math.Max(1, Environment.ProcessorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static IPEndPoint? Endpoint(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        if (IPEndPoint.TryParse(text.StartsWith(':') ? "0.0.0.0" + text : text, out var endpoint) && endpoint.Port > 0)
        {
            return endpoint;
        }
        throw new CliException(ExitCodes.Usage, $"{option} '{text}' is not an address:port such as 0.0.0.0:80 or 127.0.0.1:8081");
    }
}
