namespace Gantry.Registry;

/// <summary>Receives registry events in order from a background dispatcher; a slow sink delays only other events, never pushes.</summary>
public interface IRegistryEventSink
{
    ValueTask OnEventAsync(RegistryEvent e, CancellationToken ct);
}
