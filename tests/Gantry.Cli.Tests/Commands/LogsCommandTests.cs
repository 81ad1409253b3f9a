using System.Text.Json;
using Gantry.Cli.Commands;
using Gantry.Model.Api;

namespace Gantry.Cli.Tests.Commands;

public sealed class LogsCommandTests
{
    [Fact]
    public void ToJson_JsonLine_KeepsItsFields()
    {
        var line = new LogLine(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero), "web", "shop-web-1-abc", "stdout", """{"level":"warn","ms":12}""") { Release = 4 };

        using var json = JsonDocument.Parse(LogsCommand.ToJson(line));

        Assert.Equal(4, json.RootElement.GetProperty("release").GetInt32());
        Assert.Equal("warn", json.RootElement.GetProperty("fields").GetProperty("level").GetString());
        Assert.Equal(12, json.RootElement.GetProperty("fields").GetProperty("ms").GetInt32());
        Assert.Equal("2026-12-05T12:00:00.0000000Z", json.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public void ToJson_PlainLine_NoFields()
    {
        var line = new LogLine(DateTimeOffset.UnixEpoch, "web", "shop-web-1-abc", "stderr", "{not json}");

        using var json = JsonDocument.Parse(LogsCommand.ToJson(line));

        Assert.False(json.RootElement.TryGetProperty("fields", out _));
        Assert.Equal("{not json}", json.RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("90m", "90m")]
    [InlineData("1h30m", "90m")]
    [InlineData("2d", "2d")]
    [InlineData("45s", "45s")]
    [InlineData("2026-12-05T10:00:00+01:00", "2026-12-05T09:00:00.0000000Z")]
    public void When_DurationOrTime_SentInAFormTheServerReads(string given, string sent) =>
        Assert.Equal(sent, LogsCommand.When(given, "--since"));

    [Fact]
    public void When_Neither_UsageErrorNamingTheOption()
    {
        var error = Assert.Throws<Gantry.Cli.CliException>(() => LogsCommand.When("last tuesday", "--since"));

        Assert.Contains("--since 'last tuesday'", error.Message, StringComparison.Ordinal);
    }
}
