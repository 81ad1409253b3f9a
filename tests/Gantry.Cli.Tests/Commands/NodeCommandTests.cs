using System.Text.Json;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Api.Cluster;

namespace Gantry.Cli.Tests.Commands;

public sealed class NodeCommandTests
{
    private static readonly NodeView Node2 = new("n2", "node2", "worker", "ready", "active", "10.99.0.12", false,
        new Dictionary<string, string> { ["zone"] = "a" }, 2, 8L << 30, 0.5, 512L << 20, 3);

    [Fact]
    public async Task NodeAdd_LabelsAndRole_SentAsTheRequest()
    {
        string? body = null;
        var seen = new List<string>();
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            seen.Add($"{ctx.Request.Method} {ctx.Request.Path}");
            body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            await TestServer.WriteJsonAsync(ctx, Node2, ApiJsonContext.Default.NodeView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("node", "add", "tcp://10.99.0.12:2375", "--role", "worker", "--label", "zone=a", "--label", "disk=ssd=fast");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["POST /api/v1/cluster/nodes"], seen);
        var request = JsonSerializer.Deserialize(body!, ApiJsonContext.Default.NodeAddRequest)!;
        Assert.Equal("tcp://10.99.0.12:2375", request.Engine);
        Assert.Equal("worker", request.Role);
        Assert.Equal("a", request.Labels!["zone"]);
        Assert.Equal("ssd=fast", request.Labels["disk"]);
        Assert.Contains("node node2 (10.99.0.12) is in the cluster as a worker, ready", h.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--label", "zone", "--label 'zone' is not KEY=VALUE")]
    [InlineData("--role", "boss", "--role 'boss' is not a node role")]
    public async Task NodeAdd_BadOption_RefusedBeforeAnyCall(string option, string value, string expected)
    {
        var calls = 0;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            calls++;
            return TestServer.WriteJsonAsync(ctx, Node2, ApiJsonContext.Default.NodeView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("node", "add", "unix:///run/x.sock", option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(0, calls);
        Assert.Contains(expected, h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_Table_ShowsCapacityReservationsAndLabels()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteJsonAsync(ctx, (IReadOnlyList<NodeView>)[Node2], ApiJsonContext.Default.IReadOnlyListNodeView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("nodes");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("RESERVED MEMORY", h.Out, StringComparison.Ordinal);
        var row = h.Out.Split('\n').Single(l => l.StartsWith("node2", StringComparison.Ordinal));
        Assert.Contains("8 GiB", row, StringComparison.Ordinal);
        Assert.Contains("512 MiB", row, StringComparison.Ordinal);
        Assert.Contains("zone=a", row, StringComparison.Ordinal);
    }
}
