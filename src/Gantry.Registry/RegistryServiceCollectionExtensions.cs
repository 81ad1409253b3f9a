using Gantry.Registry.Api;
using Gantry.Registry.Auth;
using Gantry.Registry.Events;
using Gantry.Registry.Gc;
using Gantry.Registry.Hosting;
using Gantry.Registry.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry;

/// <summary>Registers the registry's services; register an <see cref="IRegistryCredentialValidator"/>, an <see cref="IRegistryMetadataStore"/> or extra <see cref="IRegistryEventSink"/>s to plug Gantry in.</summary>
public static class RegistryServiceCollectionExtensions
{
    public static IServiceCollection AddGantryRegistry(this IServiceCollection services, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string root = Path.GetFullPath(options.RootDirectory);
        Directory.CreateDirectory(root);
        RegistryOptions effective = options with { RootDirectory = root };

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(effective);
        services.TryAddSingleton<IRegistryCredentialValidator, RejectAllCredentialValidator>();
        services.TryAddSingleton<IRegistryMetadataStore>(sp => new SqliteMetadataStore(Path.Combine(root, "registry.db"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DigestLocks>();
        services.AddSingleton(sp => new BlobStore(root, sp.GetRequiredService<DigestLocks>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new UploadStore(root, sp.GetRequiredService<BlobStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new ManifestCache(effective.ManifestCacheBytes));
        services.AddSingleton<RegistryEventPublisher>();
        services.AddSingleton<RegistryCore>();
        services.AddSingleton<Browsing.RegistryBrowser>();
        services.AddSingleton<RegistryTokenService>();
        // The server registers its own first to share it with its API's token gate.
        services.TryAddSingleton(sp => new AuthFailureLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CredentialCheck>();
        services.AddSingleton<RequestAuthorizer>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ListingHandlers>();
        services.AddSingleton<RegistryDispatcher>();
        services.AddSingleton<RegistryGarbageCollector>();
        foreach (WebhookOptions webhook in effective.Webhooks)
        {
            services.AddSingleton<IRegistryEventSink>(sp => new WebhookEventSink(
                webhook,
                new HttpClient { Timeout = TimeSpan.FromSeconds(10) },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<WebhookEventSink>>()));
        }

        services.AddHostedService<RegistryBackgroundService>();
        return services;
    }
}
