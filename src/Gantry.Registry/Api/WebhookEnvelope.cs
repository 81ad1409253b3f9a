namespace Gantry.Registry.Api;

/// <summary>The JSON body POSTed to webhook receivers (one event per delivery, wrapped for future batching).</summary>
public sealed record WebhookEnvelope(IReadOnlyList<RegistryEvent> Events);
