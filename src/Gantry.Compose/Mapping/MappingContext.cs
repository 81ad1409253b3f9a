using Gantry.Compose.HostPaths;
using Gantry.Compose.Privilege;

namespace Gantry.Compose.Mapping;

/// <summary>What mapping one service needs to know about the rest of the project.</summary>
internal sealed record MappingContext(
    string ProjectName,
    Func<string, string?> Lookup,
    IReadOnlySet<string> Networks,
    IReadOnlySet<string> Volumes,
    IReadOnlySet<string> Secrets,
    IReadOnlySet<string> Configs,
    Func<string, string?> ReadFile,
    Func<string, string> DisplayPath,
    HostPathGuard HostPaths,
    PrivilegeGuard Privilege,
    string? EnginePlatform);
