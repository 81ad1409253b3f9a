using Gantry.Cli.Commands;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Status;

namespace Gantry.Cli.Tests.Output;

public sealed class OutputTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(134217728, "128 MiB")]
    [InlineData(12_900_000, "12 MiB")]
    [InlineData(1610612736, "1.5 GiB")]
    public void Bytes_Sizes_AreHumanised(long bytes, string expected) => Assert.Equal(expected, Humanize.Bytes(bytes));

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(180, "3m")]
    [InlineData(7300, "2h")]
    [InlineData(3 * 86400, "3d")]
    public void Duration_Seconds_UseLargestWholeUnit(int seconds, string expected) =>
        Assert.Equal(expected, Humanize.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Ago_PastAndFuture_ReadsNaturally()
    {
        var now = DateTimeOffset.Parse("2026-01-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("3m ago", Humanize.Ago(now.AddMinutes(-3), now));
        Assert.Equal("just now", Humanize.Ago(now.AddSeconds(5), now));
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("120", 120)]
    [InlineData("500ms", 0.5)]
    public void ParseDuration_Valid_Parses(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Humanize.ParseDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("m5")]
    [InlineData("-3")]
    public void ParseDuration_Invalid_ReturnsNull(string text) => Assert.Null(Humanize.ParseDuration(text));

    [Fact]
    public void Write_Rows_AlignsColumnsWithoutTrailingSpaces()
    {
        using var writer = new StringWriter();

        TableWriter.Write(writer, ["NAME", "PHASE", "MESSAGE"], [["web", "Running", ""], ["longer-name", "Failed", "refused"]]);

        Assert.Equal(
            "NAME          PHASE     MESSAGE\n" +
            "web           Running\n" +
            "longer-name   Failed    refused\n",
            writer.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Row_RunningReplica_ShowsUsageLimitsAndAge()
    {
        var now = DateTimeOffset.Parse("2026-01-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var view = new ReplicaView(new ReplicaStatus("shop-web-1-abcdef12", "web", 1)
        {
            State = "running", Health = "healthy", Restarts = 2, StartedAt = now.AddMinutes(-3),
            MemoryLimitBytes = 128L * 1024 * 1024, NanoCpus = 500_000_000, Traffic = "canary", Weight = 10,
        })
        { CpuPercent = 12.345, MemoryUsageBytes = 32L * 1024 * 1024 };

        var row = PsCommand.Row(view, now);

        Assert.Equal(["shop-web-1-abcdef12", "web", "running", "healthy", "canary 10%", "2", "12.3%", "32 MiB / 128 MiB", "0.5", "3m"], row);
    }

    [Fact]
    public void Row_ExitedReplica_ShowsMessageInsteadOfAge()
    {
        var view = new ReplicaView(new ReplicaStatus("shop-web-1-abcdef12", "web", 1) { State = "exited", Message = "OOM killed (limit 64 MiB)" });

        var row = PsCommand.Row(view, DateTimeOffset.UnixEpoch);

        Assert.Equal("OOM killed (limit 64 MiB)", row[^1]);
        Assert.Equal("-", row[4]);
        Assert.Equal("-", row[6]);
    }

    [Fact]
    public void LineProgressView_RepeatedLines_PrintsOnlyChanges()
    {
        using var writer = new StringWriter();
        var view = new LineProgressView(writer);

        view.Update([new("web", "web 1/2"), new("db", "db 0/1")]);
        view.Update([new("web", "web 1/2"), new("db", "db 1/1")]);
        view.Message("warning: x");

        Assert.Equal("web 1/2\ndb 0/1\ndb 1/1\nwarning: x\n", writer.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void RedrawProgressView_SecondUpdate_MovesCursorUpOverTheBlock()
    {
        using var writer = new StringWriter();
        var view = new RedrawProgressView(writer);

        view.Update([new("web", "a"), new("db", "b")]);
        view.Update([new("web", "a"), new("db", "b")]);
        view.Update([new("web", "c"), new("db", "d")]);

        Assert.Equal(1, writer.ToString().Split("\u001b[2A").Length - 1);
        Assert.EndsWith("\u001b[2Kc\n\u001b[2Kd\n", writer.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_LogLine_PrefixesPaddedReplicaAndColoursOnlyOnTerminal()
    {
        var line = new LogLine(DateTimeOffset.UnixEpoch, "web", "web-1", "stdout", "hello\n");

        var plain = LogsCommand.Format(line, 8, timestamps: false, Terminal.Plain);
        var stamped = LogsCommand.Format(line, 5, timestamps: true, Terminal.Plain);
        var coloured = LogsCommand.Format(line, 5, timestamps: false, new Terminal(true, true));

        Assert.Equal("web-1    | hello", plain);
        Assert.Equal("web-1 | 1970-01-01T00:00:00.000Z hello", stamped);
        Assert.StartsWith($"\u001b[{Terminal.StableColor("web-1")}mweb-1 |\u001b[0m hello", coloured, StringComparison.Ordinal);
        Assert.Equal(Terminal.StableColor("web-1"), Terminal.StableColor("web-1"));
    }
}
