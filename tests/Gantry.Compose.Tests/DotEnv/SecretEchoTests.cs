namespace Gantry.Compose.Tests.DotEnv;

/// <summary>Errors locate the problem but never quote a value that looks secret: a key file named as an env_file, a password with a typo.</summary>
public sealed class SecretEchoTests : IDisposable
{
    private const string KeyLine = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7+k/2ZmV";

    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    private ComposeLoadResult LoadWithEnvFile(string envText)
    {
        _project.Write("app.env", envText);
        _project.Write("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n    env_file: ./app.env\n");
        return _project.Load(["compose.yaml"]);
    }

    [Fact]
    public void Load_EnvFileHoldingAPrivateKey_ReportsLinesWithoutTheKey()
    {
        var result = LoadWithEnvFile($"-----BEGIN PRIVATE KEY-----\n{KeyLine}\n-----END PRIVATE KEY-----\n");

        Assert.Equal([1, 2, 3], result.Errors.Select(e => e.Line));
        Assert.All(result.Errors, e => Assert.Equal("app.env", e.File));
        Assert.All(result.Errors, e => Assert.DoesNotContain("PRIVATE", e.ToString(), StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.DoesNotContain(KeyLine[..16], e.ToString(), StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.Contains("not shown: it may hold a secret", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EnvFileWithABadPasswordValue_NamesTheVariableButNotTheValue()
    {
        var error = TestLoad.SingleError(LoadWithEnvFile("DB_HOST=db\nDB_PASSWORD=Tr0ub4dor${x\n"));

        Assert.Equal(("app.env", 2), (error.File, error.Line));
        Assert.Contains("DB_PASSWORD", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Tr0ub4dor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EnvFileWithAPlainMalformedLine_StillQuotesIt()
    {
        var error = TestLoad.SingleError(LoadWithEnvFile("MY VAR=1\n"));

        Assert.Contains("'MY VAR=1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ComposeSecretValueWithBadInterpolation_IsNotQuoted()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx:1.27\n    environment:\n      API_TOKEN: \"s3cr3t-${\"\n"));

        Assert.Equal("services.web.environment.API_TOKEN", error.Path);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CommandWithAPasswordAndAnOpenQuote_IsNotQuoted()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx:1.27\n    command: sh -c \"connect --password=hunter2\n"));

        Assert.Equal("services.web.command", error.Path);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongTypeWithACredentialUrl_IsNotQuoted()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx:1.27\n    networks: postgres://admin:hunter2@db/app\n"));

        Assert.Equal("services.web.networks", error.Path);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
