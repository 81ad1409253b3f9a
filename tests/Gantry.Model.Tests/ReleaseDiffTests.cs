using Gantry.Model.Releases;

namespace Gantry.Model.Tests;

public class ReleaseDiffTests
{
    // Looks like a real key: mixed case and digits, 32 characters, no repeats to speak of.
    private const string ApiKeyValue = "q8Zr2Lx9Vb4Nw7Tc1Kd6Hs3Jf5Gm0Pa";
    private const string HexKey = "9f86d081884c7d659a2feaa0c55ad015";

    private static readonly ServiceSpec Web = new()
    {
        Name = "web",
        Image = "shop/web:v1",
        PinnedImage = "sha256:1111111111111111aaaa",
        Replicas = 2,
        Command = ["serve", "--port", "80"],
        Environment = Env(("LOG_LEVEL", "info"), ("DB_PASSWORD", "hunter2-old")),
        Ports = [new PortSpec(80, "8080")],
    };

    private static AppSpec App(params ServiceSpec[] services) => new() { Name = "shop", Services = services };

    private static SortedDictionary<string, string?> Env(params (string Key, string? Value)[] pairs)
    {
        var env = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            env[key] = value;
        }
        return env;
    }

    private static IReadOnlyList<ReleaseChange> Diff(ServiceSpec before, ServiceSpec after) => ReleaseDiff.Compute(App(before), App(after));

    [Fact]
    public void Compute_SameSpec_NoChanges()
    {
        Assert.Empty(Diff(Web, Web with { }));
    }

    [Fact]
    public void Compute_FirstRelease_EveryServiceAdded()
    {
        var changes = ReleaseDiff.Compute(null, App(Web, new ServiceSpec { Name = "api", Image = "shop/api:v1" }));

        Assert.Equal(
            [new ReleaseChange("services.api", null, "shop/api:v1, 1 replica"), new ReleaseChange("services.web", null, "shop/web:v1@111111111111, 2 replicas")],
            changes);
    }

    [Fact]
    public void Compute_ServiceRemovedAndAdded_BothReportedByName()
    {
        var changes = ReleaseDiff.Compute(App(Web), App(new ServiceSpec { Name = "worker", Image = "shop/worker:v1" }));

        Assert.Equal(["services.web", "services.worker"], changes.Select(c => c.Path));
        Assert.Null(changes[0].After);
        Assert.Null(changes[1].Before);
    }

    [Fact]
    public void Compute_TagChanged_ShowsTagsWithIdsWhenPinChanged()
    {
        var changes = Diff(Web, Web with { Image = "shop/web:v2", PinnedImage = "sha256:2222222222222222bbbb" });

        Assert.Equal([new ReleaseChange("services.web.image", "shop/web:v1@111111111111", "shop/web:v2@222222222222")], changes);
    }

    [Fact]
    public void Compute_TagChangedPinUnchanged_ShowsTagsOnly()
    {
        var changes = Diff(Web with { PinnedImage = null }, Web with { PinnedImage = null, Image = "shop/web:v2" });

        Assert.Equal([new ReleaseChange("services.web.image", "shop/web:v1", "shop/web:v2")], changes);
    }

    [Fact]
    public void Compute_SameTagRebuilt_ShowsShortIds()
    {
        var changes = Diff(Web, Web with { PinnedImage = "sha256:3333333333333333cccc" });

        Assert.Equal([new ReleaseChange("services.web.image", "shop/web:v1@111111111111", "shop/web:v1@333333333333")], changes);
    }

    [Fact]
    public void Compute_EnvironmentAddedRemovedChanged_OnePathPerKeyInOrder()
    {
        var before = Web with { Environment = Env(("A_REMOVED", "x"), ("LOG_LEVEL", "info"), ("UNSET_LATER", "1")) };
        var after = Web with { Environment = Env(("B_ADDED", "y"), ("LOG_LEVEL", "debug"), ("UNSET_LATER", null)) };

        var changes = Diff(before, after);

        Assert.Equal(
            [
                new ReleaseChange("services.web.environment.A_REMOVED", "x", null),
                new ReleaseChange("services.web.environment.B_ADDED", null, "y"),
                new ReleaseChange("services.web.environment.LOG_LEVEL", "info", "debug"),
                new ReleaseChange("services.web.environment.UNSET_LATER", "1", "(unset)"),
            ],
            changes);
    }

    [Theory]
    [InlineData("DB_PASSWORD")]
    [InlineData("mysql_root_passwd")]
    [InlineData("PGPWD")]
    [InlineData("CLIENT_SECRET")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("STRIPE_API_KEY")]
    [InlineData("AWS_CREDENTIALS")]
    [InlineData("PRIVATE_PEM")]
    [InlineData("BasicAuth")]
    [InlineData("HASH_SALT")]
    [InlineData("TLS_CERT")]
    public void Compute_SecretKeyChanged_BothSidesMaskedAndMarkedChanged(string key)
    {
        var changes = Diff(Web with { Environment = Env((key, "plain-old")) }, Web with { Environment = Env((key, "plain-new")) });

        Assert.Equal([new ReleaseChange($"services.web.environment.{key}", "••••••", "•••••• (changed)")], changes);
    }

    [Theory]
    [InlineData("postgres://shop:s3cr3t@db:5432/shop")]
    [InlineData("redis://:hunter2@cache:6379")]
    [InlineData(ApiKeyValue)]
    [InlineData(HexKey)]
    [InlineData("Server=db;User Id=sa;Password=hunter2;")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")]
    public void Compute_SecretLookingValueUnderPlainKey_Masked(string value)
    {
        var changes = Diff(Web with { Environment = Env(("DATABASE", "sqlite")) }, Web with { Environment = Env(("DATABASE", value)) });

        Assert.Equal([new ReleaseChange("services.web.environment.DATABASE", "sqlite", "••••••")], changes);
    }

    [Theory]
    [InlineData("production")]
    [InlineData("https://api.example.com/v1")]
    [InlineData("/usr/local/share/gantry/templates")]
    [InlineData("en_US.UTF-8")]
    [InlineData("max-connections-per-host-limit")]
    public void Compute_OrdinaryValue_ShownAsIs(string value)
    {
        var changes = Diff(Web with { Environment = Env(("SETTING", "x")) }, Web with { Environment = Env(("SETTING", value)) });

        Assert.Equal([new ReleaseChange("services.web.environment.SETTING", "x", value)], changes);
    }

    [Fact]
    public void Compute_CommandEntrypointPortsVolumes_RenderedComposeLike()
    {
        var before = Web with { Volumes = [new MountSpec(MountType.Volume, "data", "/data")] };
        var after = Web with
        {
            Command = ["serve", "--port", "8080", "--token", ApiKeyValue],
            Entrypoint = ["/bin/sh", "-c"],
            Ports = [new PortSpec(8080, "8080"), new PortSpec(53, null, "udp")],
            Volumes = [new MountSpec(MountType.Volume, "data", "/data") { ReadOnly = true }, new MountSpec(MountType.Tmpfs, null, "/tmp")],
        };

        var changes = Diff(before, after);

        Assert.Equal(
            [
                new ReleaseChange("services.web.command", "serve --port 80", "serve --port 8080 --token ••••••"),
                new ReleaseChange("services.web.entrypoint", null, "/bin/sh -c"),
                new ReleaseChange("services.web.ports", "8080:80/tcp", "8080:8080/tcp, 53/udp"),
                new ReleaseChange("services.web.volumes", "data:/data", "data:/data:ro, tmpfs:/tmp"),
            ],
            changes);
    }

    [Fact]
    public void Compute_ReplicasResourcesHealthCheck_ComposePaths()
    {
        var after = Web with
        {
            Replicas = 3,
            Resources = new ResourcesSpec { MemoryLimitBytes = 256L * 1024 * 1024, NanoCpus = 500_000_000 },
            HealthCheck = new HealthCheckSpec(["CMD-SHELL", "wget -qO- http://localhost/health"]) { Interval = TimeSpan.FromSeconds(5), Retries = 3 },
        };

        var changes = Diff(Web, after);

        Assert.Equal(
            [
                new ReleaseChange("services.web.healthcheck", null, "CMD-SHELL \"wget -qO- http://localhost/health\", interval 5s, retries 3"),
                new ReleaseChange("services.web.deploy.replicas", "2", "3"),
                new ReleaseChange("services.web.deploy.resources.limits.memory", null, "256 MiB"),
                new ReleaseChange("services.web.deploy.resources.limits.cpus", null, "0.5"),
            ],
            changes);
    }

    [Fact]
    public void Compute_LabelsSecretsConfigsStrategy_Reported()
    {
        var before = Web with
        {
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["team"] = "shop" },
            Release = new ReleasePolicy { Strategy = ReleaseStrategy.Rolling },
        };
        var after = Web with
        {
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["team"] = "payments", ["webhook.token"] = "abc" },
            Secrets = [new FileReferenceSpec("db_password", "/run/secrets/db_password")],
            Configs = [new FileReferenceSpec("nginx", "/etc/nginx/nginx.conf")],
            Release = new ReleasePolicy { Strategy = ReleaseStrategy.BlueGreen },
        };

        var changes = Diff(before, after);

        Assert.Equal(
            [
                new ReleaseChange("services.web.labels.team", "shop", "payments"),
                new ReleaseChange("services.web.labels.webhook.token", null, "••••••"),
                new ReleaseChange("services.web.secrets", null, "db_password:/run/secrets/db_password"),
                new ReleaseChange("services.web.configs", null, "nginx:/etc/nginx/nginx.conf"),
                new ReleaseChange("services.web.release.strategy", "rolling", "blue-green"),
            ],
            changes);
    }

    [Fact]
    public void Compute_XGantryChanged_KeyByKeyComparedByMeaning()
    {
        static ServiceSpec With(string json) => Web with { Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = json } };
        var before = With("""{"routes":[{"host":"shop.localhost"}],"strategy":"rolling","warm":"10m"}""");
        var after = With("""{ "warm": "10m", "strategy": "blue-green", "routes": [{"host":"shop.example.com"}], "auth": {"password": "hunter2"} }""");

        var changes = Diff(before, after);

        Assert.Equal(
            [
                new ReleaseChange("services.web.x-gantry.auth", null, """{"password":"••••••"}"""),
                new ReleaseChange("services.web.x-gantry.routes", """[{"host":"shop.localhost"}]""", """[{"host":"shop.example.com"}]"""),
                new ReleaseChange("services.web.x-gantry.strategy", "\"rolling\"", "\"blue-green\""),
            ],
            changes);
    }

    [Fact]
    public void Compute_TopLevelObjects_AddedRemovedAndContentChangedWithoutContent()
    {
        var before = App(Web) with
        {
            Networks = [new NetworkSpec("default")],
            Volumes = [new VolumeSpec("data")],
            Configs = [new FileObjectSpec("nginx") { Content = "worker_processes 1;" }],
            Secrets = [new FileObjectSpec("db") { File = "/srv/shop/db.txt" }],
        };
        var after = before with
        {
            Networks = [new NetworkSpec("default"), new NetworkSpec("backend") { Internal = true }],
            Volumes = [new VolumeSpec("data") { DriverOptions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["o"] = "addr=nas,password=hunter2" } }],
            Configs = [new FileObjectSpec("nginx") { Content = "worker_processes 4;" }],
            Secrets = [],
        };

        var changes = ReleaseDiff.Compute(before, after);

        Assert.Equal(
            [
                new ReleaseChange("networks.backend", null, "driver bridge, internal"),
                new ReleaseChange("volumes.data", "driver local", "driver local, options o=••••••"),
                new ReleaseChange("secrets.db", "file /srv/shop/db.txt", null),
                new ReleaseChange("configs.nginx", "inline content", "inline content (content changed)"),
            ],
            changes);
    }

    [Fact]
    public void Compute_SecretsEverywhere_NoSecretValueAppearsInTheOutput()
    {
        string[] secrets = ["hunter2-old", "hunter2-new", "s3cr3tpass", ApiKeyValue, HexKey, "tok3n-value", "labelsecret", "jsonsecret", "argsecret", "healthpass"];
        var before = Web with { Environment = Env(("DB_PASSWORD", "hunter2-old"), ("DATABASE_URL", "postgres://u:s3cr3tpass@db/shop")) };
        var after = Web with
        {
            Environment = Env(("DB_PASSWORD", "hunter2-new"), ("DATABASE_URL", "postgres://u:s3cr3tpass@db2/shop"), ("STRIPE", ApiKeyValue), ("SIGNING", HexKey), ("X_TOKEN", "tok3n-value")),
            Command = ["serve", "--password=argsecret"],
            HealthCheck = new HealthCheckSpec(["CMD-SHELL", "check --token healthpass"]),
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["auth"] = "labelsecret" },
            Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-other"] = """{"secret":"jsonsecret"}""" },
        };

        var changes = ReleaseDiff.Compute(App(before), App(after));
        var text = string.Join("\n", changes.Select(c => $"{c.Path} {c.Before} {c.After}"));

        Assert.Equal(9, changes.Count);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        Assert.Contains(new ReleaseChange("services.web.environment.DATABASE_URL", "••••••", "•••••• (changed)"), changes);
        Assert.Contains(new ReleaseChange("services.web.command", "serve --port 80", "serve --password=••••••"), changes);
    }

    [Fact]
    public void Compute_ManyChanges_DeterministicOrder()
    {
        var before = App(Web with { Name = "b" }, Web with { Name = "a" });
        var after = App(Web with { Name = "a", Replicas = 5, Image = "shop/web:v9" }, Web with { Name = "b", Environment = Env(("Z", "1"), ("A", "2")) });

        var first = ReleaseDiff.Compute(before, after);
        var second = ReleaseDiff.Compute(before with { Services = [.. before.Services.Reverse()] }, after);

        Assert.Equal(first, second);
        Assert.Equal(
            ["services.a.image", "services.a.deploy.replicas", "services.b.environment.A", "services.b.environment.DB_PASSWORD", "services.b.environment.LOG_LEVEL", "services.b.environment.Z"],
            first.Select(c => c.Path));
    }

    [Fact]
    public void Compute_StoredSpecWithNullCollections_TreatsThemAsEmpty()
    {
        // Older stored specs, read back through the source-generated context, can carry nulls where the record has defaults.
        const string Json = """{"name":"shop","services":[{"name":"web","image":"web:1","replicas":1,"restart":{"condition":"Any"},"environment":null,"ports":null,"labels":null,"extensions":null,"resources":null}],"networks":null,"secrets":null}""";
        var stored = System.Text.Json.JsonSerializer.Deserialize(Json, ModelJsonContext.Default.AppSpec)!;

        var changes = ReleaseDiff.Compute(stored, App(new ServiceSpec { Name = "web", Image = "web:1", Environment = Env(("A", "1")) }));

        Assert.Equal([new ReleaseChange("services.web.environment.A", null, "1")], changes);
    }

    [Fact]
    public void ShortImageId_Sha256Digest_TwelveHexDigits()
    {
        Assert.Equal("3f2a1b4c5d6e", ReleaseDiff.ShortImageId("sha256:3f2a1b4c5d6e7f8091a2b3c4d5e6f708"));
        Assert.Equal("abc", ReleaseDiff.ShortImageId("abc"));
    }

    [Fact]
    public void Compute_RuntimeKeysChanged_EachShownUnderItsComposeName()
    {
        var changes = Diff(Web, Web with { Hostname = "web1", CapAdd = ["NET_ADMIN"], ReadOnly = true, Ulimits = [new UlimitSpec("nofile", 1024, 2048)] });

        Assert.Contains(changes, c => c.Path == "services.web.hostname" && c.After == "web1" && c.Before is null);
        Assert.Contains(changes, c => c.Path == "services.web.cap_add" && c.After == "NET_ADMIN");
        Assert.Contains(changes, c => c.Path == "services.web.read_only" && c.After == "true");
        Assert.Contains(changes, c => c.Path == "services.web.ulimits" && c.After == "nofile=1024:2048");
    }
}
