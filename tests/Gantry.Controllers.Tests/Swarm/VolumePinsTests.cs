using Gantry.Controllers.Resources;
using Gantry.Controllers.Swarm;
using Gantry.Model;

namespace Gantry.Controllers.Tests.Swarm;

public sealed class VolumePinsTests
{
    private static ClusterNode Node(string name, string zone = "a", string role = "worker", string state = "ready") =>
        new(name, role, state, "active", new Dictionary<string, string> { ["zone"] = zone }, 2L << 30, 2_000_000_000, 0, 0);

    private static readonly IReadOnlyList<ClusterNode> Three = [Node("node1", role: "manager"), Node("node2"), Node("node3", zone: "b")];

    private static ServiceSpec Service(string name, string? volume = "data", bool readOnly = false, params string[] constraints) => new()
    {
        Name = name,
        Replicas = 1,
        Volumes = volume is null ? [] : [new MountSpec(MountType.Volume, volume, "/data") { ReadOnly = readOnly }],
        Placement = constraints.Length == 0 ? null : new PlacementSpec { Constraints = constraints },
    };

    private static AppSpec App(params ServiceSpec[] services) => new()
    {
        Name = "shop",
        Services = services,
        Volumes =
        [
            new VolumeSpec("data"),
            new VolumeSpec("shared") { DriverOptions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["type"] = "nfs", ["o"] = "addr=10.0.0.5" } },
            new VolumeSpec("theirs") { External = true },
            new VolumeSpec("named") { EngineName = "legacy-data" },
            new VolumeSpec("plugin") { Driver = "rexray/ebs" },
        ],
    };

    [Fact]
    public void Apply_WritableOwnedVolume_PinnedToTheManagerWithAConstraintAndSaidWhy()
    {
        var (spec, pins) = VolumePins.Apply(App(Service("db"), Service("web", volume: null)), null, Three);

        var pin = Assert.Single(pins);
        Assert.Equal(("db", "node1", false), (pin.Service, pin.Node, pin.Kept));
        Assert.Equal(["node.hostname==node1"], spec.FindService("db")!.Placement!.Constraints);
        Assert.Null(spec.FindService("web")!.Placement);
        Assert.Contains("service 'db' writes to volume 'data'", pin.Describe(), StringComparison.Ordinal);
        Assert.Contains("pinned to node1 (node.hostname==node1)", pin.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data", true)]
    [InlineData("shared", false)]
    [InlineData("theirs", false)]
    [InlineData("named", false)]
    [InlineData("plugin", false)]
    public void Apply_OnlyWritableVolumesGantryCreatesOnTheNodesDisk_AreNotPinnedOtherwise(string volume, bool readOnly)
    {
        var app = App(Service("db", volume, readOnly));

        var (spec, pins) = VolumePins.Apply(app, null, Three);

        Assert.Empty(pins);
        Assert.Same(app, spec);
    }

    [Fact]
    public void Apply_ComposePlacesTheServiceOnOneNodeItself_LeftAsItIs()
    {
        var (spec, pins) = VolumePins.Apply(App(Service("db", "data", false, "node.hostname == node3")), null, Three);

        Assert.Empty(pins);
        Assert.Equal(["node.hostname == node3"], spec.FindService("db")!.Placement!.Constraints);
    }

    [Fact]
    public void Apply_ConstraintsTheManagerDoesNotMatch_FirstMatchingNodeByName()
    {
        var (spec, pins) = VolumePins.Apply(App(Service("db", "data", false, "node.labels.zone==b")), null, Three);

        Assert.Equal("node3", Assert.Single(pins).Node);
        Assert.Equal(["node.labels.zone==b", "node.hostname==node3"], spec.FindService("db")!.Placement!.Constraints);
    }

    [Fact]
    public void Apply_PreviousReleasePinnedItElsewhere_KeptThereWhileThatNodeIsInTheCluster()
    {
        var previous = App(Service("db", "data", false, "node.hostname==node2"));

        var (kept, keptPins) = VolumePins.Apply(App(Service("db")), previous, Three);
        var (moved, movedPins) = VolumePins.Apply(App(Service("db")), previous, [Node("node1", role: "manager"), Node("node3")]);

        Assert.Equal(("node2", true), (Assert.Single(keptPins).Node, keptPins[0].Kept));
        Assert.Equal(["node.hostname==node2"], kept.FindService("db")!.Placement!.Constraints);
        Assert.Contains("as in the release before", keptPins[0].Describe(), StringComparison.Ordinal);
        Assert.Equal(("node1", false), (Assert.Single(movedPins).Node, movedPins[0].Kept));
    }

    [Fact]
    public void Apply_TwoServicesWriteOneVolume_PinnedToTheSameNode()
    {
        var previous = App(Service("db", "data", false, "node.hostname==node3"));

        var (spec, pins) = VolumePins.Apply(App(Service("db"), Service("backup")), previous, Three);

        Assert.Equal(["db node3", "backup node3"], pins.Select(p => p.Service + " " + p.Node));
        Assert.Equal(["node.hostname==node3"], spec.FindService("backup")!.Placement!.Constraints);
    }

    [Fact]
    public void Apply_NoNodeCanTakeIt_NotPinnedAndLeftToTheGuardsRefusal()
    {
        var (spec, pins) = VolumePins.Apply(App(Service("db")), null, [Node("node1", role: "manager", state: "down")]);

        Assert.Empty(pins);
        Assert.Null(spec.FindService("db")!.Placement);
    }
}
