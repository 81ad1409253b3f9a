using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>One interface's counters.</summary>
public sealed record NetworkStats
{
    /// <summary>Bytes received.</summary>
    [JsonPropertyName("rx_bytes")]
    public ulong RxBytes { get; init; }

    /// <summary>Bytes sent.</summary>
    [JsonPropertyName("tx_bytes")]
    public ulong TxBytes { get; init; }
}
