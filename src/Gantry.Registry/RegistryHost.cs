using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Gantry.Registry.Transport;

namespace Gantry.Registry;

/// <summary>A Kestrel server running only the registry: used by tests, the benchmark and the server's --registry-port.</summary>
public sealed class RegistryHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistryHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The address actually bound (port 0 resolved), e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="url">Listen URL such as "http://127.0.0.1:0"; for TLS bind https and configure certificates via <paramref name="configureServices"/> or Kestrel config.</param>
    /// <param name="configureServices">Extra registrations (credential validator, event sinks, TimeProvider) applied before the registry's defaults.</param>
    public static async Task<RegistryHost> StartAsync(RegistryOptions options, string url, Action<IServiceCollection>? configureServices = null,
        Action<WebApplicationBuilder>? configureBuilder = null, CancellationToken ct = default)
    {
        // No configuration file is watched: the default builder watches appsettings.json under the content root, which is
        // the working directory with its subdirectories, so every file written anywhere below it (logs, the data
        // directory) woke the process. Gantry reads no appsettings.json; the content root is the install directory.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Layers can be gigabytes; upload handlers also lift the per-request limit when hosted elsewhere.
            k.Limits.MaxRequestBodySize = null;
            // The default 64 KiB response buffer makes every blob chunk wait for the socket to drain before the
            // next file read; 1 MiB lets the read of one chunk overlap the send of the previous one.
            k.Limits.MaxResponseBufferSize = 1024 * 1024;
            k.AddServerHeader = false;
            if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && SendFileEnabled)
            {
                // Plain HTTP: blob bodies leave with sendfile(2) (see Transport/). TLS endpoints keep Kestrel's path.
                k.ConfigureEndpointDefaults(listen => listen.UseSocketSendFile());
            }
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        configureBuilder?.Invoke(builder);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddGantryRegistry(options);
        WebApplication app = builder.Build();
        app.MapGantryRegistry();
        await app.StartAsync(ct).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistryHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Off only to measure Kestrel's own file path against sendfile (bench/registry: GANTRY_REGISTRY_SENDFILE=0).</summary>
    internal static bool SendFileEnabled { get; set; } = Environment.GetEnvironmentVariable("GANTRY_REGISTRY_SENDFILE") != "0";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
