using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class ContainerLogsTests
{
    [Fact]
    public async Task LogsAsync_NoTty_SeparatesStdoutAndStderrInOrder()
    {
        await using var scope = new DockerTestScope("logs");
        var id = await scope.RunShellAsync("demux", "echo out-1; echo err-1 >&2; echo out-2; printf 'no-newline' >&2");
        await scope.Client.Containers.WaitAsync(id);

        var lines = await scope.Client.Containers.LogsAsync(id).ToListAsync();

        Assert.Equal(["out-1", "out-2"], lines.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Text));
        Assert.Equal(["err-1", "no-newline"], lines.Where(l => l.Stream == LogStream.Stderr).Select(l => l.Text));
        Assert.All(lines, l => Assert.Null(l.Timestamp));
    }

    [Fact]
    public async Task LogsAsync_TailWithTimestamps_ReturnsLastLinesWithParsedTimes()
    {
        await using var scope = new DockerTestScope("logs");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var id = await scope.RunShellAsync("tail", "for i in 1 2 3 4 5; do echo line-$i; done");
        await scope.Client.Containers.WaitAsync(id);

        var lines = await scope.Client.Containers.LogsAsync(id, new ContainerLogsOptions { Tail = 2, Timestamps = true }).ToListAsync();

        Assert.Equal(["line-4", "line-5"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(LogStream.Stdout, l.Stream));
        Assert.All(lines, l => Assert.InRange(l.Timestamp!.Value, before, DateTimeOffset.UtcNow.AddSeconds(5)));
        Assert.True(lines[1].Timestamp >= lines[0].Timestamp);
    }

    [Fact]
    public async Task LogsAsync_LineLongerThanDriverChunk_ComesBackAsOneLineWithOneTimestamp()
    {
        await using var scope = new DockerTestScope("logs");
        var id = await scope.RunShellAsync("long", "head -c 40000 /dev/zero | tr '\\0' a; echo; echo short");
        await scope.Client.Containers.WaitAsync(id);

        var lines = await scope.Client.Containers.LogsAsync(id, new ContainerLogsOptions { Timestamps = true }).ToListAsync();

        Assert.Equal(2, lines.Count);
        Assert.Equal(new string('a', 40000), lines[0].Text);
        Assert.Equal("short", lines[1].Text);
        Assert.NotNull(lines[0].Timestamp);
    }

    [Fact]
    public async Task LogsAsync_StderrOnly_LeavesStdoutOut()
    {
        await using var scope = new DockerTestScope("logs");
        var id = await scope.RunShellAsync("stderr", "for i in 1 2 3; do echo out-$i; echo err-$i >&2; done");
        await scope.Client.Containers.WaitAsync(id);

        // Tail is not combined with a stream filter here: dockerd tails the combined log before filtering.
        var lines = await scope.Client.Containers.LogsAsync(id, new ContainerLogsOptions { Stdout = false }).ToListAsync();

        Assert.Equal(["err-1", "err-2", "err-3"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(LogStream.Stderr, l.Stream));
    }

    [Fact]
    public async Task LogsAsync_Follow_YieldsLinesAsWrittenAndEndsWhenContainerExits()
    {
        await using var scope = new DockerTestScope("logs");
        var id = await scope.CreateShellAsync("follow", "sleep 1; for i in 1 2 3; do echo tick-$i; sleep 0.3; done");
        await scope.Client.Containers.StartAsync(id);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var received = new List<string>();
        await foreach (var line in scope.Client.Containers.LogsAsync(id, new ContainerLogsOptions { Follow = true }, cts.Token))
        {
            received.Add(line.Text);
        }

        Assert.Equal(["tick-1", "tick-2", "tick-3"], received);
    }

    [Fact]
    public async Task LogsAsync_FollowCancelled_ThrowsOperationCanceled()
    {
        await using var scope = new DockerTestScope("logs");
        var id = await scope.RunShellAsync("cancel", "echo first; exec sleep 300");
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var line in scope.Client.Containers.LogsAsync(id, new ContainerLogsOptions { Follow = true }, cts.Token))
            {
                Assert.Equal("first", line.Text);
                await cts.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task LogsAsync_TtyContainer_ReadsRawStreamAsStdout()
    {
        await using var scope = new DockerTestScope("logs");
        var id = await scope.CreateShellAsync("tty", "echo tty-out; echo tty-err >&2", customize: p => p with { Tty = true });
        await scope.Client.Containers.StartAsync(id);
        await scope.Client.Containers.WaitAsync(id);

        var lines = await scope.Client.Containers.LogsAsync(id).ToListAsync();

        Assert.Equal(["tty-out", "tty-err"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(LogStream.Stdout, l.Stream));
    }
}
