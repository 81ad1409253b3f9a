using Gantry.Controllers.Planning;
using Gantry.Controllers.Resources;
using Gantry.Controllers.Swarm;
using Gantry.Docker.Swarm;
using Gantry.Model;
using static Gantry.Controllers.Tests.Planning.PlannerFixtures;

namespace Gantry.Controllers.Tests.Swarm;

/// <summary>Decision 0021's mapping of releases: a compose service's replica plan onto its release's Swarm service, and a task back onto a replica.</summary>
public sealed class SwarmServiceMappingTests
{
    private static Gantry.Docker.Swarm.ServiceSpec Map(Gantry.Model.ServiceSpec service, int slot = 2, long release = 7)
    {
        var app = App(service) with { Release = release };
        var plan = ContainerPlanBuilder.Build(app, app.Services[0], slot, "sha256:img", "0123456789abcdef", 1, new ResourceDefaults());
        return SwarmServiceMapping.ToServiceSpec(plan, "owner1", 3);
    }

    [Fact]
    public void ToServiceSpec_VolumesGantryNames_CarryItsLabelsForTheNodesThatCreateThem_OthersNot()
    {
        var service = Service("db") with
        {
            Volumes =
            [
                new MountSpec(MountType.Volume, "data", "/data"),
                new MountSpec(MountType.Volume, "shared", "/shared"),
                new MountSpec(MountType.Volume, "named", "/named"),
            ],
        };
        var app = App(service) with
        {
            Volumes =
            [
                new VolumeSpec("data"),
                new VolumeSpec("shared") { External = true, EngineName = "shop_shared" },
                new VolumeSpec("named") { EngineName = "their-volume" },
            ],
        };
        var plan = ContainerPlanBuilder.Build(app, app.Services[0], 1, "sha256:img", "0123456789abcdef", 1, new ResourceDefaults());

        var mounts = SwarmServiceMapping.ToServiceSpec(plan, "owner1", 1).TaskTemplate.ContainerSpec.Mounts!.ToDictionary(m => m.Target);

        var labels = mounts["/data"].VolumeOptions?.Labels;
        Assert.Equal("shop_data", mounts["/data"].Source);
        Assert.Equal("shop", labels?[GantryLabels.App]);
        Assert.Equal("owner1", labels?[GantryLabels.Owner]);
        Assert.Equal("data", labels?[GantryLabels.Resource]);
        // An external volume (even one named like Gantry's) and a volume with a name of its own are not Gantry's to remove.
        Assert.Null(mounts["/shared"].VolumeOptions);
        Assert.Null(mounts["/named"].VolumeOptions);
    }

    [Fact]
    public void ToServiceSpec_Service_NamedPerReleaseDnsrrWithReleaseLabelsAndNoSlot()
    {
        var spec = Map(Service("web"));

        Assert.Equal("shop_web_r7", spec.Name);
        Assert.Equal("dnsrr", spec.EndpointSpec?.Mode);
        Assert.Equal(3, spec.Mode.Replicated?.Replicas);
        Assert.Equal("sha256:img", spec.TaskTemplate.ContainerSpec.Image);
        foreach (var labels in new[] { spec.Labels!, spec.TaskTemplate.ContainerSpec.Labels! })
        {
            Assert.Equal("shop", labels[GantryLabels.App]);
            Assert.Equal("web", labels[GantryLabels.Service]);
            Assert.Equal("7", labels[GantryLabels.Release]);
            Assert.Equal("0123456789abcdef", labels[GantryLabels.SpecHash]);
            Assert.Equal("owner1", labels[GantryLabels.Owner]);
            Assert.Equal("true", labels[GantryLabels.Managed]);
            // Swarm numbers the tasks: a slot on the service would be wrong for every task but one.
            Assert.False(labels.ContainsKey(GantryLabels.Slot));
        }
        var network = Assert.Single(spec.TaskTemplate.Networks!);
        Assert.Equal("shop_default", network.Target);
    }

    [Fact]
    public void ToServiceSpec_ResourcesRestartPlacement_MapToSwarms()
    {
        var spec = Map(Service("web") with
        {
            Resources = new ResourcesSpec { MemoryLimitBytes = 64L << 20, NanoCpus = 500_000_000, NanoCpusReservation = 250_000_000 },
            Restart = new RestartPolicySpec { Condition = RestartCondition.OnFailure, MaxAttempts = 5, Delay = TimeSpan.FromSeconds(2) },
            Placement = new PlacementSpec { Constraints = ["node.labels.zone==a"], Spread = ["node.labels.rack"], MaxReplicasPerNode = 1 },
            StopGracePeriod = TimeSpan.FromSeconds(3),
            HealthCheck = new HealthCheckSpec(["CMD", "true"]) { Interval = TimeSpan.FromSeconds(1) },
        });

        var task = spec.TaskTemplate;
        Assert.Equal((64L << 20, 500_000_000L), (task.Resources!.Limits!.MemoryBytes, task.Resources.Limits.NanoCPUs));
        // No memory reservation named: the limit is reserved, as ClusterGuard counts it.
        Assert.Equal((64L << 20, 250_000_000L), (task.Resources.Reservations!.MemoryBytes, task.Resources.Reservations.NanoCPUs));
        Assert.Equal(("on-failure", 5L, 2_000_000_000L), (task.RestartPolicy!.Condition, task.RestartPolicy.MaxAttempts, task.RestartPolicy.Delay));
        Assert.Equal(["node.labels.zone==a"], task.Placement!.Constraints!);
        Assert.Equal("node.labels.rack", Assert.Single(task.Placement.Preferences!).Spread!.SpreadDescriptor);
        Assert.Equal(1, task.Placement.MaxReplicas);
        Assert.Equal(3_000_000_000L, task.ContainerSpec.StopGracePeriod);
        Assert.Equal(["CMD", "true"], task.ContainerSpec.HealthCheck!.Test!);
    }

    [Fact]
    public void ToServiceSpec_MemoryReservationAndNoRestart_ReservedAsNamedAndConditionNone()
    {
        var spec = Map(Service("job") with
        {
            Resources = new ResourcesSpec { MemoryLimitBytes = 64L << 20, MemoryReservationBytes = 16L << 20 },
            Restart = new RestartPolicySpec { Condition = RestartCondition.None },
        });

        Assert.Equal(16L << 20, spec.TaskTemplate.Resources!.Reservations!.MemoryBytes);
        Assert.Equal("none", spec.TaskTemplate.RestartPolicy!.Condition);
        Assert.Null(spec.TaskTemplate.Placement);
    }

    [Fact]
    public void ToServiceSpec_InitAndReadOnly_SetOnTheContainerSpec_LeftOutOtherwise()
    {
        var task = Map(Service("web") with { Init = true, ReadOnly = true }).TaskTemplate;
        var plain = Map(Service("web")).TaskTemplate;

        Assert.True(task.ContainerSpec.Init);
        Assert.True(task.ContainerSpec.ReadOnly);
        Assert.Null(plain.ContainerSpec.Init);
        Assert.Null(plain.ContainerSpec.ReadOnly);
    }

    [Fact]
    public void ServiceName_DottedComposeService_DashedForDns() =>
        Assert.Equal("shop_api-v2_r3", SwarmServiceMapping.ServiceName("shop", "api.v2", "3"));

    [Theory]
    [InlineData("running", true, "running", "healthy")]
    [InlineData("running", false, "running", "none")]
    [InlineData("starting", true, "running", "starting")]
    [InlineData("pending", false, "created", "none")]
    [InlineData("preparing", false, "created", "none")]
    [InlineData("failed", false, "exited", "none")]
    [InlineData("shutdown", false, "removing", "none")]
    public void ToObserved_TaskState_InTheContainerVocabulary(string taskState, bool healthCheck, string state, string health)
    {
        var observed = SwarmServiceMapping.ToObserved(Task(taskState, healthCheck), new Dictionary<string, string> { ["n2"] = "node2" });

        Assert.Equal((state, health), (observed.State, observed.Health));
    }

    [Fact]
    public void ToObserved_RunningTask_ReplicaWithSlotNodeAndOverlayAddress()
    {
        var observed = SwarmServiceMapping.ToObserved(Task("running", false), new Dictionary<string, string> { ["n2"] = "node2" });

        Assert.Equal("t1", observed.Id);
        Assert.Equal("shop-web-4-01234567", observed.Name);
        Assert.Equal(("shop", "web", 4, "0123456789abcdef"), (observed.App, observed.Service, observed.Slot, observed.SpecHash));
        Assert.Equal("node2", observed.Node);
        Assert.Equal("10.0.1.5", observed.IpAddress);
        Assert.Equal(32L << 20, observed.MemoryLimitBytes);
    }

    [Fact]
    public void ToObserved_PendingTask_SaysWhySwarmCannotPlaceIt()
    {
        var task = Task("pending", false) with
        {
            NodeId = null,
            Status = new SwarmTaskStatus { State = "pending", Err = "no suitable node (insufficient resources on 3 nodes)" },
        };

        var observed = SwarmServiceMapping.ToObserved(task, new Dictionary<string, string>());

        Assert.Null(observed.Node);
        Assert.Equal("no suitable node (insufficient resources on 3 nodes)", observed.Error);
    }

    private static SwarmTask Task(string state, bool healthCheck) => new()
    {
        Id = "t1",
        ServiceId = "s1",
        NodeId = "n2",
        Slot = 4,
        DesiredState = "running",
        Spec = new TaskSpec
        {
            ContainerSpec = new ContainerSpec
            {
                Image = "sha256:img",
                Labels = new Dictionary<string, string>
                {
                    [GantryLabels.App] = "shop",
                    [GantryLabels.Service] = "web",
                    [GantryLabels.SpecHash] = "0123456789abcdef",
                },
                HealthCheck = healthCheck ? new Gantry.Docker.Containers.HealthConfig { Test = ["CMD", "true"] } : null,
            },
            Resources = new TaskResources { Limits = new NodeResources { MemoryBytes = 32L << 20 } },
        },
        Status = new SwarmTaskStatus { State = state, Timestamp = Now },
        NetworksAttachments =
        [
            new TaskNetworkAttachment { Network = new AttachedNetwork { Spec = new AttachedNetworkSpec { Name = "shop_default" } }, Addresses = ["10.0.1.5/24"] },
        ],
    };
}
