using Gantry.Model.Releases;

namespace Gantry.Model.Tests;

public class ConfigurationMaskerTests
{
    private const string Mask = ConfigurationMasker.Mask;

    private static ServiceSpec Service(IReadOnlyList<string>? command = null) => new() { Name = "db", Image = "mysql:8", Command = command };

    [Fact]
    public void MaskArguments_SecretFlagThenValue_MasksTheValueOnly()
    {
        Assert.Equal(["serve", "--db-password", Mask, "--port", "80"], ConfigurationMasker.MaskArguments(["serve", "--db-password", "hunter2xyz", "--port", "80"]));
    }

    [Fact]
    public void MaskArguments_SecretFlagWithEquals_MasksAfterTheEquals()
    {
        Assert.Equal(["--api-token=" + Mask, "--verbose"], ConfigurationMasker.MaskArguments(["--api-token=hunter2xyz", "--verbose"]));
    }

    [Fact]
    public void MaskArguments_KeyEqualsValue_MasksTheValue()
    {
        Assert.Equal(["env", "DB_PASSWORD=" + Mask, "MODE=fast"], ConfigurationMasker.MaskArguments(["env", "DB_PASSWORD=hunter2xyz", "MODE=fast"]));
    }

    [Fact]
    public void MaskArguments_FlagWithOwnValue_DoesNotMaskTheNextArgument()
    {
        Assert.Equal(["--token=" + Mask, "serve"], ConfigurationMasker.MaskArguments(["--token=hunter2xyz", "serve"]));
    }

    [Fact]
    public void MaskArguments_ShellString_MasksItsWords()
    {
        Assert.Equal(["sh", "-c", $"mysql --password {Mask} -h db"], ConfigurationMasker.MaskArguments(["sh", "-c", "mysql --password hunter2xyz -h db"]));
    }

    [Fact]
    public void MaskArguments_CredentialLookingArgument_Masked()
    {
        Assert.Equal(["migrate", Mask], ConfigurationMasker.MaskArguments(["migrate", "postgres://shop:hunter2xyz@db/shop"]));
    }

    [Fact]
    public void MaskArguments_PlainArguments_Untouched()
    {
        string[] args = ["nginx", "-g", "daemon off;", "--port", "8080", "--config=/etc/app.yaml", "LOG_LEVEL=debug"];

        Assert.Equal(args, ConfigurationMasker.MaskArguments(args));
    }

    [Fact]
    public void MaskService_CommandAndEntrypoint_Masked()
    {
        var masked = ConfigurationMasker.MaskService(Service(["--db-password", "hunter2xyz"]) with { Entrypoint = ["/entry.sh", "--secret", "hunter2xyz"] });

        Assert.Equal(["--db-password", Mask], masked.Command);
        Assert.Equal(["/entry.sh", "--secret", Mask], masked.Entrypoint);
    }

    [Fact]
    public void MaskService_Labels_SecretOnesMaskedOthersKept()
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["db.password"] = "hunter2xyz", ["team"] = "shop", ["smtp.pass"] = "hunter2xyz" };

        var masked = ConfigurationMasker.MaskService(Service() with { Labels = labels });

        Assert.Equal(Mask, masked.Labels["db.password"]);
        Assert.Equal(Mask, masked.Labels["smtp.pass"]);
        Assert.Equal("shop", masked.Labels["team"]);
    }

    [Fact]
    public void MaskService_HealthCheckTest_Masked()
    {
        var service = Service() with { HealthCheck = new HealthCheckSpec(["CMD-SHELL", "mysqladmin ping --password hunter2xyz"]) { Retries = 3 } };

        var masked = ConfigurationMasker.MaskService(service);

        Assert.Equal(["CMD-SHELL", $"mysqladmin ping --password {Mask}"], masked.HealthCheck!.Test);
        Assert.Equal(3, masked.HealthCheck.Retries);
    }

    [Fact]
    public void MaskService_BuildArgsAndEnvironment_SecretOnesMaskedOthersKept()
    {
        var args = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["NPM_TOKEN"] = "abc", ["NODE_VERSION"] = "22", ["UNSET"] = null };
        var env = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["DB_PASSWORD"] = "hunter2xyz", ["LOG_LEVEL"] = "info", ["DATABASE_URL"] = "postgres://u:hunter2xyz@db/x" };

        var masked = ConfigurationMasker.MaskService(Service() with { Build = new BuildSpec("/ctx") { Args = args }, Environment = env });

        Assert.Equal(new Dictionary<string, string?> { ["NODE_VERSION"] = "22", ["NPM_TOKEN"] = Mask, ["UNSET"] = null }, masked.Build!.Args);
        Assert.Equal(new Dictionary<string, string?> { ["DATABASE_URL"] = Mask, ["DB_PASSWORD"] = Mask, ["LOG_LEVEL"] = "info" }, masked.Environment);
    }

    [Fact]
    public void MaskService_Extension_SecretPropertiesMasked()
    {
        var service = Service() with { Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-backup"] = """{"bucket":"b1","api_key":"hunter2xyz"}""" } };

        var masked = ConfigurationMasker.MaskService(service);

        Assert.Equal("""{"bucket":"b1","api_key":"••••••"}""", masked.Extensions["x-backup"]);
    }

    [Fact]
    public void MaskApp_KeepsTheOriginalUntouched()
    {
        var app = new AppSpec { Name = "shop", Services = [Service(["--db-password", "hunter2xyz"])] };

        var masked = ConfigurationMasker.MaskApp(app);

        Assert.Equal(["--db-password", Mask], masked.Services[0].Command);
        Assert.Equal(["--db-password", "hunter2xyz"], app.Services[0].Command);
    }

    [Fact]
    public void MaskApp_SecretContentAndSecretVolumeOptions_Masked()
    {
        var app = new AppSpec
        {
            Name = "shop",
            Secrets = [new FileObjectSpec("db") { Content = "plain words" }],
            Configs = [new FileObjectSpec("site") { Content = "listen 80" }],
            Volumes = [new VolumeSpec("share") { DriverOptions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["o"] = "username=u,password=hunter2xyz", ["type"] = "cifs" } }],
        };

        var masked = ConfigurationMasker.MaskApp(app);

        Assert.Equal(Mask, masked.Secrets[0].Content);
        Assert.Equal("listen 80", masked.Configs[0].Content);
        Assert.Equal(Mask, masked.Volumes[0].DriverOptions["o"]);
        Assert.Equal("cifs", masked.Volumes[0].DriverOptions["type"]);
    }

    [Theory]
    [InlineData("SMTP_PASS")]
    [InlineData("--db-pass")]
    [InlineData("redis.pw")]
    public void IsSecretKey_PassOrPwAsAWord_True(string key)
    {
        Assert.True(SecretValues.IsSecretKey(key));
    }

    [Theory]
    [InlineData("BYPASS_CACHE")]
    [InlineData("PASSAGE")]
    [InlineData("team")]
    public void IsSecretKey_PlainNames_False(string key)
    {
        Assert.False(SecretValues.IsSecretKey(key));
    }

    [Fact]
    public void ReleaseDiff_CommandLabelAndHealthCheck_MaskedByTheSameRule()
    {
        var before = Service(["--db-password", "old-secret1"]);
        var after = Service(["--db-password", "new-secret2"]) with
        {
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["db.password"] = "hunter2xyz" },
            HealthCheck = new HealthCheckSpec(["CMD", "check", "--token=hunter2xyz"]),
        };

        var changes = ReleaseDiff.Compute(new AppSpec { Name = "a", Services = [before] }, new AppSpec { Name = "a", Services = [after] });

        Assert.DoesNotContain(changes, c => (c.Before + c.After).Contains("secret", StringComparison.Ordinal) || (c.Before + c.After).Contains("hunter2xyz", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Path == "services.db.labels.db.password" && c.After == Mask);
    }

    [Fact]
    public void MaskService_LogDriverToken_IsMasked()
    {
        var service = new ServiceSpec
        {
            Name = "web",
            Logging = new LoggingSpec { Driver = "splunk", Options = new SortedDictionary<string, string> { ["splunk-token"] = "abc123", ["splunk-url"] = "https://splunk.example.com" } },
        };

        var masked = ConfigurationMasker.MaskService(service).Logging!;

        Assert.Equal(ConfigurationMasker.Mask, masked.Options["splunk-token"]);
        Assert.Equal("https://splunk.example.com", masked.Options["splunk-url"]);
        Assert.Equal("abc123", service.Logging!.Options["splunk-token"]);
    }
}
