using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Compose.XGantry;

namespace Gantry.Compose.Tests.XGantry;

public sealed class ReleasePolicyParserTests
{
    private const string At = "services.web.x-gantry";

    private static ServiceSpec Service(string? xGantry) => new()
    {
        Name = "web",
        Extensions = xGantry is null
            ? new SortedDictionary<string, string>(StringComparer.Ordinal)
            : new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = xGantry },
    };

    private static (ReleasePolicy Policy, List<string> Errors) Parse(string? xGantry, bool routed = true)
    {
        var errors = new List<string>();
        var policy = ReleasePolicyParser.Parse(Service(xGantry), routed, errors);
        return (policy, errors);
    }

    [Fact]
    public void Parse_RoutedWithoutReleaseKeys_BlueGreenWithDefaults()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","port":8080}""");

        Assert.Empty(errors);
        Assert.Equal(ReleaseStrategy.BlueGreen, policy.Strategy);
        Assert.True(policy.Routed);
        Assert.Equal(ReleasePolicy.DefaultWarmFor, policy.WarmFor);
        Assert.Equal(ReleasePolicy.DefaultDrainTimeout, policy.DrainTimeout);
        Assert.Equal(ReleasePolicy.DefaultProgressDeadline, policy.ProgressDeadline);
        Assert.Equal(new AutoRollbackPolicy(), policy.AutoRollback);
        Assert.Empty(policy.CanarySteps);
    }

    [Fact]
    public void Parse_UnroutedWithoutExtension_RollingWithoutErrors()
    {
        var (policy, errors) = Parse(null, routed: false);

        Assert.Empty(errors);
        Assert.Equal(ReleaseStrategy.Rolling, policy.Strategy);
        Assert.False(policy.Routed);
    }

    [Theory]
    [InlineData("rolling", ReleaseStrategy.Rolling)]
    [InlineData("recreate", ReleaseStrategy.Recreate)]
    [InlineData("blue-green", ReleaseStrategy.BlueGreen)]
    public void Parse_Strategy_Read(string name, ReleaseStrategy expected)
    {
        var (policy, errors) = Parse($$"""{"host":"web.example.com","strategy":"{{name}}"}""");

        Assert.Empty(errors);
        Assert.Equal(expected, policy.Strategy);
    }

    [Fact]
    public void Parse_UnknownStrategy_ErrorNamesPathValueAndChoices()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","strategy":"big-bang"}""");

        var error = Assert.Single(errors);
        Assert.Equal($"{At}.strategy: 'big-bang' is not a strategy; use blue-green, rolling or recreate", error);
        Assert.Equal(ReleaseStrategy.BlueGreen, policy.Strategy);
    }

    [Fact]
    public void Parse_BlueGreenWithoutRoutes_ErrorSaysAddHostOrUseRolling()
    {
        var (_, errors) = Parse("""{"strategy":"blue-green"}""", routed: false);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{At}.strategy:", error, StringComparison.Ordinal);
        Assert.Contains("add a host, or use rolling", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Durations_Read()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","rollback-window":"30m","drain-timeout":"500ms","progress-deadline":90}""");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(30), policy.WarmFor);
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), policy.ProgressDeadline);
    }

    [Fact]
    public void Parse_BadDuration_ErrorNamesKeyAndKeepsDefault()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","drain-timeout":"soon"}""");

        var error = Assert.Single(errors);
        Assert.Equal($"{At}.drain-timeout: 'soon' is not a duration; write e.g. 5s, 500ms or 1m", error);
        Assert.Equal(ReleasePolicy.DefaultDrainTimeout, policy.DrainTimeout);
    }

    [Fact]
    public void Parse_AutoRollbackFalse_Off()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","auto-rollback":false}""");

        Assert.Empty(errors);
        Assert.Null(policy.AutoRollback);
    }

    [Fact]
    public void Parse_AutoRollbackTrue_Defaults()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","auto-rollback":true}""");

        Assert.Empty(errors);
        Assert.Equal(new AutoRollbackPolicy(), policy.AutoRollback);
    }

    [Theory]
    [InlineData("\"5%\"", 0.05)]
    [InlineData("0.05", 0.05)]
    [InlineData("\"12.5%\"", 0.125)]
    [InlineData("\"0.2\"", 0.2)]
    public void Parse_AutoRollbackErrorRate_PercentOrFraction(string value, double expected)
    {
        var (policy, errors) = Parse($$$"""{"host":"web.example.com","auto-rollback":{"error-rate":{{{value}}}}}""");

        Assert.Empty(errors);
        Assert.Equal(expected, policy.AutoRollback!.MaxErrorRateIncrease, 10);
    }

    [Fact]
    public void Parse_AutoRollbackMapping_EveryKeyRead()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","auto-rollback":{"window":"1m","error-rate":"10%","latency-ratio":3,"min-requests":50}}""");

        Assert.Empty(errors);
        Assert.Equal(new AutoRollbackPolicy { Window = TimeSpan.FromMinutes(1), MaxErrorRateIncrease = 0.1, MaxLatencyRatio = 3, MinRequests = 50 }, policy.AutoRollback);
    }

    [Fact]
    public void Parse_AutoRollbackUnknownKey_ErrorNamesKeyAndKnownKeys()
    {
        var (_, errors) = Parse("""{"host":"web.example.com","auto-rollback":{"errors":"5%"}}""");

        var error = Assert.Single(errors);
        Assert.Equal($"{At}.auto-rollback.errors: unknown key; auto-rollback takes window, error-rate, latency-ratio, min-requests", error);
    }

    [Theory]
    [InlineData("\"lots\"", "'lots' is not a number; write e.g. 5% or 0.05")]
    [InlineData("\"-5%\"", "-5% is out of range; it takes 0 to any")]
    public void Parse_AutoRollbackBadErrorRate_ErrorSaysWhatToWrite(string value, string expected)
    {
        var (policy, errors) = Parse($$$"""{"host":"web.example.com","auto-rollback":{"error-rate":{{{value}}}}}""");

        var error = Assert.Single(errors);
        Assert.Equal($"{At}.auto-rollback.error-rate: {expected}", error);
        Assert.Equal(new AutoRollbackPolicy().MaxErrorRateIncrease, policy.AutoRollback!.MaxErrorRateIncrease);
    }

    [Fact]
    public void Parse_AutoRollbackNeitherBoolNorMapping_ErrorShowsForms()
    {
        var (_, errors) = Parse("""{"host":"web.example.com","auto-rollback":"yes"}""");

        var error = Assert.Single(errors);
        Assert.StartsWith($"{At}.auto-rollback: expected false, true or a mapping", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CanaryPercentages_ReadWithImpliedHundredDropped()
    {
        var (policy, errors) = Parse("""{"host":"web.example.com","canary":[10,"50%",100]}""");

        Assert.Empty(errors);
        Assert.Equal([10, 50], policy.CanarySteps);
    }

    [Theory]
    [InlineData("[50,10]", "'10'")]
    [InlineData("[0,50]", "'0'")]
    [InlineData("[10,101]", "'101'")]
    [InlineData("[10,10]", "'10'")]
    [InlineData("[\"half\"]", "'half'")]
    public void Parse_CanaryBadStep_ErrorNamesStepAndFix(string steps, string quoted)
    {
        var (policy, errors) = Parse($$"""{"host":"web.example.com","canary":{{steps}}}""");

        var error = Assert.Single(errors);
        Assert.Equal($"{At}.canary: {quoted} is not a step; write increasing percentages between 1 and 100, e.g. [10, 50]", error);
        Assert.Empty(policy.CanarySteps);
    }

    [Fact]
    public void Parse_CanaryNotAList_Error()
    {
        var (_, errors) = Parse("""{"host":"web.example.com","canary":10}""");

        Assert.Equal($"{At}.canary: expected a list of traffic percentages, e.g. [10, 50]", Assert.Single(errors));
    }

    [Fact]
    public void Parse_CanaryWithRolling_ErrorNeedsBlueGreen()
    {
        var (_, errors) = Parse("""{"host":"web.example.com","strategy":"rolling","canary":[10]}""");

        var error = Assert.Single(errors);
        Assert.StartsWith($"{At}.canary: canary steps need strategy blue-green", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("drain-timeout", "true")]
    [InlineData("rollback-window", "{}")]
    [InlineData("progress-deadline", "[1]")]
    public void Parse_DurationOfWrongKind_ErrorNotCrash(string key, string value)
    {
        var (_, errors) = Parse($$"""{"host":"a.b","{{key}}":{{value}}}""");

        Assert.Equal($"{At}.{key}: '{value}' is not a duration; write e.g. 5s, 500ms or 1m", Assert.Single(errors));
    }

    [Theory]
    [InlineData("min-requests", "0")]
    [InlineData("latency-ratio", "0.5")]
    [InlineData("latency-ratio", "\"2%\"")]
    public void Parse_AutoRollbackNumberOutOfRange_ErrorNamesTheRange(string key, string value)
    {
        var (_, errors) = Parse($$$"""{"host":"a.b","auto-rollback":{"{{{key}}}":{{{value}}}}}""");

        Assert.Contains($"{At}.auto-rollback.{key}: ", Assert.Single(errors));
    }
}
