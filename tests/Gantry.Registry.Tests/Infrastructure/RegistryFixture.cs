namespace Gantry.Registry.Tests.Infrastructure;

/// <summary>One anonymous-access registry shared by a test class; tests use unique repository names.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public TestRegistry Registry { get; private set; } = null!;

    public async Task InitializeAsync() => Registry = await TestRegistry.StartAsync();

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    public static string NewRepository(string prefix = "conf") => $"{prefix}/r{Guid.NewGuid().ToString("N")[..10]}";
}
