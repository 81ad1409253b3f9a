namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>One real server process shared by the tests of a class; each test deploys its own app names.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public GantryServerProcess Server { get; private set; } = null!;

    public CliRunner Cli { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await GantryServerProcess.StartAsync();
        Cli = new CliRunner(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
