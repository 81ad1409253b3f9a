using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Controllers.Tests.Apps;

/// <summary>A reconciler on a temporary SQLite store and the fake driver, with a fake clock and a settable traffic gate.</summary>
internal sealed class ReconcilerHarness : IAsyncDisposable
{
    private readonly string _directory;

    private ReconcilerHarness(string directory, SqliteResourceStore store, FakeTimeProvider time)
    {
        _directory = directory;
        Store = store;
        Time = time;
        Driver = new FakeEngineDriver(time);
        Book = new ReleaseBook(store, time);
        Events = new StoreEvents(store);
        Reconciler = new AppReconciler(store, Driver, new ImageResolver(Driver, Events), Events, Options, time, Book, Gate);
    }

    public SqliteResourceStore Store { get; }

    public FakeTimeProvider Time { get; }

    public FakeEngineDriver Driver { get; }

    public ReleaseBook Book { get; }

    public StoreEvents Events { get; }

    public FakeTrafficGate Gate { get; } = new();

    public AppControllerOptions Options { get; } = new();

    public AppReconciler Reconciler { get; }

    public static async Task<ReconcilerHarness> CreateAsync(bool realTime = false)
    {
        var directory = Directory.CreateTempSubdirectory("gantry-reconciler-").FullName;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var store = await SqliteResourceStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(directory, "gantry.db") }, realTime ? TimeProvider.System : time);
        return new ReconcilerHarness(directory, store, time);
    }

    /// <summary>Commits a new release of <paramref name="spec"/> as the deploy service does: the record, then the app.</summary>
    public async Task<long> DeployAsync(AppSpec spec)
    {
        var record = await Book.CreateAsync(spec, ReleaseCauses.Deploy, "test");
        await Store.UpsertSpecAsync(AppKinds.App, spec.Name, JsonSerializer.Serialize(record.Spec, ModelJsonContext.Default.AppSpec), null);
        return record.Number;
    }

    public Task<TimeSpan?> PassAsync(string app = "shop") => Reconciler.ReconcileAsync(app, CancellationToken.None);

    /// <summary>Runs passes, letting the fake clock move by what each asks for (capped), until one asks for nothing more.</summary>
    public async Task ConvergeAsync(string app = "shop", int maxPasses = 30)
    {
        for (var i = 0; i < maxPasses; i++)
        {
            var again = await PassAsync(app);
            if (again is null)
            {
                return;
            }
            Time.Advance(again.Value < TimeSpan.FromSeconds(5) ? again.Value : TimeSpan.FromSeconds(5));
        }
        throw new InvalidOperationException($"{app} did not converge in {maxPasses} passes: {(await StatusAsync(app))?.Message}");
    }

    public async Task<AppStatus?> StatusAsync(string app = "shop")
    {
        var resource = await Store.GetAsync(AppKinds.App, app);
        return resource?.StatusJson is null ? null : JsonSerializer.Deserialize(resource.StatusJson, ModelJsonContext.Default.AppStatus);
    }

    public async Task<int> EventCountAsync(string app = "shop") =>
        (await Store.ListEventsAsync(new EventQuery { App = app, Limit = 10_000 })).Count;

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Records events in the store, as the server does, so event writes count as store writes.</summary>
    internal sealed class StoreEvents(IResourceStore store) : IAppEvents
    {
        public Task RecordAsync(string app, string? service, string? replica, string type, string reason, string message, CancellationToken ct) =>
            store.AppendEventAsync(new NewEvent(AppKinds.App, app, type, reason, message, app, service, replica), ct);
    }

    /// <summary>The routers' answers, set by the test.</summary>
    internal sealed class FakeTrafficGate : ITrafficGate
    {
        public Func<string, bool> Drained { get; set; } = _ => true;

        public Func<string, bool> Routable { get; set; } = _ => true;

        public bool IsDrained(string replica) => Drained(replica);

        public bool IsRoutable(string replica) => Routable(replica);
    }
}
