namespace Gantry.Compose.Tests.XGantry;

/// <summary>x-gantry's `test` (the push pipeline's test stage) read by the loader, with errors at the key they are about.</summary>
public sealed class TestStageLoadTests
{
    [Fact]
    public void Load_TestAsAString_RunsItWithShAndTheDefaultTimeout()
    {
        var web = TestLoad.Service("""
            services:
              web:
                build: .
                x-gantry:
                  test: ./run-tests --fast
            """);

        Assert.Equal(["sh", "-c", "./run-tests --fast"], web.Test!.Command);
        Assert.Equal(TimeSpan.FromMinutes(10), web.Test.Timeout);
    }

    [Fact]
    public void Load_TestAsAMapping_ExecFormAndItsTimeout()
    {
        var web = TestLoad.Service("""
            services:
              web:
                build: .
                x-gantry:
                  test: {command: ["npm", "test"], timeout: 90s}
            """);

        Assert.Equal(["npm", "test"], web.Test!.Command);
        Assert.Equal(TimeSpan.FromSeconds(90), web.Test.Timeout);
    }

    [Fact]
    public void Load_TestWithServices_NamesThemOnce()
    {
        var web = TestLoad.Service("""
            services:
              web:
                build: .
                x-gantry:
                  test: {command: "./integration", services: [db, cache, db]}
            """);

        Assert.Equal(["db", "cache"], web.Test!.Services);
        Assert.Empty(TestLoad.Service("services:\n  web:\n    build: .\n    x-gantry:\n      test: ./unit\n").Test!.Services);
    }

    [Theory]
    [InlineData("services: db", "expected a list of this app's service names")]
    [InlineData("services: [Not_A_Name!]", "expected a list of this app's service names")]
    [InlineData("services: [web]", "'web' is the service under test")]
    public void Load_TestServicesWrong_ErrorAtTheKeySaysWhatToWrite(string entry, string message)
    {
        var error = TestLoad.SingleError(TestLoad.Text($$"""
            services:
              web:
                build: .
                x-gantry:
                  test: {command: "./integration", {{entry}}}
            """));

        Assert.StartsWith("services.web.x-gantry.test", error.Path, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoTest_NoStage()
    {
        Assert.Null(TestLoad.Service("services:\n  web:\n    build: .\n").Test);
    }

    [Fact]
    public void Load_TestCommandNotAString_ErrorAtItsLineNamingTheValue()
    {
        var error = TestLoad.SingleError(TestLoad.Text("""
            services:
              web:
                build: .
                x-gantry:
                  test:
                    command: 42
            """));

        Assert.Equal("services.web.x-gantry.test.command", error.Path);
        Assert.Equal(6, error.Line);
        Assert.Contains("a string (run with sh -c)", error.Message, StringComparison.Ordinal);
        Assert.Contains("it is 42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TestTimeoutNotADuration_ErrorAtItsLine()
    {
        var error = TestLoad.SingleError(TestLoad.Text("""
            services:
              web:
                build: .
                x-gantry:
                  test: {command: make check, timeout: soon}
            """));

        Assert.Equal("services.web.x-gantry.test.timeout", error.Path);
        Assert.Equal(5, error.Line);
        Assert.Contains("'soon' is not a duration", error.Message, StringComparison.Ordinal);
    }
}
