using Gantry.Compose.Privilege;
using Gantry.Model;

namespace Gantry.Compose.Tests.Corpus;

/// <summary>
/// The self-hosting stacks in examples/stacks (issue 16): each loads; the ones that say they need the admin's permission are
/// refused without it, only for privileged keys, and load with it. The server-side check and deploy are in the integration tests.
/// </summary>
public sealed class ExampleStacksTests
{

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Gantry.slnx")))
        {
            dir = dir.Parent;
        }
        return dir.FullName;
    }

    private static List<string> Names() =>
        Directory.GetDirectories(Path.Combine(RepoRoot(), "examples", "stacks")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Stacks() => new(Names());

    private static ComposeLoadResult Load(string stack, PrivilegePolicy privilege)
    {
        var dir = Path.Combine(RepoRoot(), "examples", "stacks", stack);
        return ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(dir, "compose.yaml"))],
            WorkingDirectory = dir,
            ProjectName = stack,
            Privilege = privilege,
        });
    }

    private static bool NeedsPrivilege(string stack) =>
        File.ReadAllText(Path.Combine(RepoRoot(), "examples", "stacks", stack, "compose.yaml")).Contains("--allow-privilege", StringComparison.Ordinal);

    [Fact]
    public void Stacks_AtLeastTwenty_ModelledOnCommonSelfHostedApps() => Assert.True(Names().Count >= 20, $"{Names().Count} stacks");

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Load_Stack_LoadsOrNeedsOnlyThePrivilegePermissionItNames(string stack)
    {
        var refused = Load(stack, PrivilegePolicy.Refused);
        if (NeedsPrivilege(stack))
        {
            Assert.False(refused.Succeeded);
            Assert.All(refused.Errors, e => Assert.Contains($"gantry server --allow-privilege {stack}", e.Message, StringComparison.Ordinal));
        }
        else
        {
            Assert.True(refused.Succeeded, string.Join("\n", refused.Diagnostics));
        }
        var allowed = Load(stack, new PrivilegePolicy { AllowedApps = [stack] });
        Assert.True(allowed.Succeeded, string.Join("\n", allowed.Diagnostics));
        Assert.All(allowed.App!.Services, s => Assert.StartsWith("gantry-stacks/", s.Image, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AllStacks_UseEveryRuntimeKeyOfIssue16()
    {
        var services = Names().Select(s => Load(s, PrivilegePolicy.Unrestricted).App!).SelectMany(a => a.Services).ToList();
        var used = new Dictionary<string, Func<ServiceSpec, bool>>
        {
            ["hostname"] = s => s.Hostname is not null,
            ["domainname"] = s => s.Domainname is not null,
            ["read_only"] = s => s.ReadOnly == true,
            ["init"] = s => s.Init == true,
            ["dns"] = s => s.Dns is not null,
            ["dns_search"] = s => s.DnsSearch is not null,
            ["dns_opt"] = s => s.DnsOptions is not null,
            ["ulimits"] = s => s.Ulimits is not null,
            ["sysctls"] = s => s.Sysctls is not null,
            ["logging"] = s => s.Logging is not null,
            ["tty"] = s => s.Tty == true,
            ["stdin_open"] = s => s.StdinOpen == true,
            ["memswap_limit"] = s => s.Resources.MemorySwapBytes is not null,
            ["shm_size"] = s => s.ShmSizeBytes is not null,
            ["tmpfs flags"] = s => s.Volumes.Any(v => v.TmpfsFlags is not null),
            ["stop_signal"] = s => s.StopSignal is not null,
            ["pids_limit"] = s => s.Resources.PidsLimit is not null,
            ["platform"] = s => s.Platform is not null,
            ["labels"] = s => s.Labels.Count > 0,
            ["links"] = s => s.Networks.Any(n => n.Aliases.Count > 0),
            ["network_mode service"] = s => s.NetworkMode?.StartsWith("service:", StringComparison.Ordinal) == true,
            ["network_mode host"] = s => s.NetworkMode == "host",
            ["deploy.placement"] = s => s.Placement is not null,
            ["cap_add"] = s => s.CapAdd is not null,
            ["cap_drop"] = s => s.CapDrop is not null,
            ["security_opt"] = s => s.SecurityOpt is not null,
            ["privileged"] = s => s.Privileged == true,
            ["devices"] = s => s.Devices is not null,
            ["pid"] = s => s.Pid is not null,
            ["group_add"] = s => s.GroupAdd is not null,
            ["cpu_shares"] = s => s.CpuShares is not null,
        };
        Assert.Empty(used.Where(u => !services.Any(u.Value)).Select(u => u.Key));
    }
}
