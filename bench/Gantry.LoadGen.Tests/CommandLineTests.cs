using Gantry.LoadGen.CommandLine;

namespace Gantry.LoadGen.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("1.5", 1.5)]
    public void DurationText_Valid_Parses(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3s")]
    public void DurationText_Invalid_ReturnsNull(string text)
    {
        Assert.Null(DurationText.Parse(text));
    }

    [Fact]
    public void Parse_AllOptions_FillsLoadOptions()
    {
        var parsed = LoadGenArguments.Parse(["--url", "http://127.0.0.1:8080/", "--host", "a.localhost", "--concurrency=4", "--duration", "5s", "--marker", "version=(v\\d+)", "--timeout", "2s"]);

        Assert.Equal(new Uri("http://127.0.0.1:8080/"), parsed.Load.Url);
        Assert.Equal("a.localhost", parsed.Load.Host);
        Assert.Equal(4, parsed.Load.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(5), parsed.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), parsed.Load.Timeout);
        Assert.Equal("version=(v\\d+)", parsed.Load.MarkerPattern);
    }

    [Theory]
    [InlineData(new[] { "--host", "x" }, "--url is required")]
    [InlineData(new[] { "--url", "ftp://x/" }, "--url 'ftp://x/'")]
    [InlineData(new[] { "--url", "http://x/", "--concurrency", "0" }, "--concurrency '0'")]
    [InlineData(new[] { "--url", "http://x/", "--duration", "later" }, "--duration 'later'")]
    [InlineData(new[] { "--url", "http://x/", "--marker", "version=v\\d+" }, "no capture group")]
    [InlineData(new[] { "--url", "http://x/", "--rate", "5" }, "unknown option '--rate'")]
    [InlineData(new[] { "--url" }, "--url needs a value")]
    public void Parse_Invalid_NamesTheProblem(string[] args, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LoadGenArguments.Parse(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
