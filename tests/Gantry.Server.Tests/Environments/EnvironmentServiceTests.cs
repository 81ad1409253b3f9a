using System.Security.Cryptography;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Environments;
using Gantry.Server.Apps;
using Gantry.Server.Environments;

namespace Gantry.Server.Tests.Environments;

/// <summary>The environment records through a real SQLite store; secret files in a temporary directory.</summary>
public sealed class EnvironmentServiceTests : StoreFixture
{
    private readonly string _files = Directory.CreateTempSubdirectory("gantry-secret-files-").FullName;
    private static readonly byte[] s_old = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] s_new = RandomNumberGenerator.GetBytes(32);

    public override async Task DisposeAsync()
    {
        Directory.Delete(_files, recursive: true);
        await base.DisposeAsync();
    }

    private EnvironmentService Service(SecretBox box) => new(Store, box, new SecretFiles(_files, _files), Time);

    [Fact]
    public async Task SetSecret_ThenDeployInputs_GiveTheNewestVersionsFileAndTheStoreHoldsItSealed()
    {
        var service = Service(new SecretBox([("k1", s_old)]));

        Assert.Equal(1, (await service.SetSecretAsync("hello", "staging", "db", "first-value", "ann", "default", default)).Response!.Version);
        Assert.Equal(2, (await service.SetSecretAsync("hello", "staging", "db", "second-value", "ann", "default", default)).Response!.Version);
        var inputs = await service.InputsForAsync("hello-staging", default);

        var (file, version) = inputs!.Secret("db")!.Value;
        Assert.Equal(2, version);
        Assert.Equal("second-value", await File.ReadAllTextAsync(file));
        Assert.Equal("first-value", await File.ReadAllTextAsync(Path.Combine(_files, "hello-staging", "db.v1")));
        Assert.Null(inputs.Secret("other"));
        var stored = (await Store.GetAsync(EnvironmentRecord.Kind, "hello-staging"))!.SpecJson;
        Assert.DoesNotContain("first-value", stored);
        Assert.DoesNotContain("second-value", stored);
        var view = (await service.ListAsync("hello", default))!.Single();
        Assert.Equal(new SecretVersionView("db", 2, view.Secrets[0].UpdatedAt, "ann"), view.Secrets.Single());
    }

    [Fact]
    public async Task Restore_AfterRotation_ReSealsWithTheNewKeyAndWritesTheFilesAgain()
    {
        await Service(new SecretBox([("k1", s_old)])).SetSecretAsync("hello", "production", "db", "value", "ann", "default", default);
        Directory.Delete(Path.Combine(_files, "hello"), recursive: true);
        var rotated = new SecretBox([("k2", s_new), ("k1", s_old)]);

        var (resealed, unreadable) = await Service(rotated).RestoreAsync(default);

        Assert.Equal(1, resealed);
        Assert.Empty(unreadable);
        Assert.Equal("value", await File.ReadAllTextAsync(Path.Combine(_files, "hello", "db.v1")));
        // The old key can go now: the new one alone opens everything.
        var (again, stillUnreadable) = await Service(new SecretBox([("k2", s_new)])).RestoreAsync(default);
        Assert.Equal(0, again);
        Assert.Empty(stillUnreadable);
    }

    [Fact]
    public async Task ChangeVariables_NameTakenByAnotherApp_IsRefusedNamingIt()
    {
        await Store.CreateAsync("App", "hello-staging", System.Text.Json.JsonSerializer.Serialize(new AppSpec { Name = "hello-staging" }, ModelJsonContext.Default.AppSpec));
        var service = Service(new SecretBox([("k1", s_old)]));

        var outcome = await service.ChangeVariablesAsync("hello", "staging", new VariablesChange { Set = new Dictionary<string, string> { ["A"] = "1" } }, "default", default);

        Assert.Equal(ChangeOutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("an app named 'hello-staging' already exists", outcome.Reason);
        Assert.Null(await Store.GetAsync(EnvironmentRecord.Kind, "hello-staging"));
    }
}
