using Gantry.Compose.Units;

namespace Gantry.Compose.Tests.Units;

public sealed class UnitsTests
{
    [Theory]
    [InlineData("1m30s", 90_000)]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("2.5s", 2_500)]
    [InlineData("30", 30_000)]
    public void TryParse_Duration_GivesMilliseconds(string text, long milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(milliseconds, (long)value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("10x")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("s10")]
    public void TryParse_BadDuration_Fails(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("1gb", 1024L * 1024 * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("100k", 100L * 1024)]
    [InlineData("2MiB", 2L * 1024 * 1024)]
    [InlineData("1048576", 1048576)]
    [InlineData("64b", 64)]
    [InlineData("1.5g", 1610612736)]
    public void TryParse_Size_GivesBytes(string text, long bytes)
    {
        Assert.True(ByteSizeParser.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("12q")]
    [InlineData("m")]
    [InlineData("-1m")]
    public void TryParse_BadSize_Fails(string text) => Assert.False(ByteSizeParser.TryParse(text, out _));

    [Theory]
    [InlineData("echo hello", new[] { "echo", "hello" })]
    [InlineData("sh -c 'echo $HOME && ls'", new[] { "sh", "-c", "echo $HOME && ls" })]
    [InlineData("python -m \"my app\" --x=\\\"q\\\"", new[] { "python", "-m", "my app", "--x=\"q\"" })]
    [InlineData("  spaced   out  ", new[] { "spaced", "out" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("''", new[] { "" })]
    public void Split_Command_FollowsShellQuoting(string text, string[] expected) =>
        Assert.Equal(expected, ShellSplitter.Split(text, out _));

    [Fact]
    public void Split_UnterminatedQuote_ReportsError()
    {
        Assert.Null(ShellSplitter.Split("echo 'oops", out var error));
        Assert.Contains("unterminated", error, StringComparison.Ordinal);
    }
}
