using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gantry.Docker.Containers;
using Gantry.Docker.Events;
using Gantry.Docker.Images;
using Gantry.Docker.Networks;
using Gantry.Docker.Swarm;
using Gantry.Docker.Volumes;
using SystemInfo = Gantry.Docker.System.SystemInfo;
using VersionResponse = Gantry.Docker.System.VersionResponse;

namespace Gantry.Docker.Transport;

/// <summary>
/// Source-generated JSON for every Engine API message. Property names stay PascalCase as the API spells them;
/// reads are case-insensitive because the API mixes "Id" and "ID", and nulls are not written so the daemon's
/// defaults apply to anything we leave unset.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, IReadOnlyList<string>>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(ContainerCreateParameters))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspectResponse))]
[JsonSerializable(typeof(IReadOnlyList<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerUpdateParameters))]
[JsonSerializable(typeof(ContainerUpdateResponse))]
[JsonSerializable(typeof(ContainerStats))]
[JsonSerializable(typeof(ImageProgressMessage))]
[JsonSerializable(typeof(ImageInspectResponse))]
[JsonSerializable(typeof(IReadOnlyList<ImageSummary>))]
[JsonSerializable(typeof(IReadOnlyList<ImageDeleteResponseItem>))]
[JsonSerializable(typeof(RegistryAuth))]
[JsonSerializable(typeof(NetworkCreateParameters))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkInspectResponse))]
[JsonSerializable(typeof(IReadOnlyList<NetworkInspectResponse>))]
[JsonSerializable(typeof(NetworkConnectParameters))]
[JsonSerializable(typeof(NetworkDisconnectParameters))]
[JsonSerializable(typeof(VolumeCreateParameters))]
[JsonSerializable(typeof(VolumeResponse))]
[JsonSerializable(typeof(VolumeListResponse))]
[JsonSerializable(typeof(DockerEvent))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(SwarmInitParameters))]
[JsonSerializable(typeof(SwarmJoinParameters))]
[JsonSerializable(typeof(SwarmInspectResponse))]
[JsonSerializable(typeof(NodeSpec))]
[JsonSerializable(typeof(SwarmNode))]
[JsonSerializable(typeof(IReadOnlyList<SwarmNode>))]
[JsonSerializable(typeof(SwarmTask))]
[JsonSerializable(typeof(IReadOnlyList<SwarmTask>))]
[JsonSerializable(typeof(ServiceSpec))]
[JsonSerializable(typeof(ServiceCreateResponse))]
[JsonSerializable(typeof(SwarmService))]
[JsonSerializable(typeof(IReadOnlyList<SwarmService>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
