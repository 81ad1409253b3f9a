using Gantry.Controllers.Apps;
using Gantry.Router.Contracts.Requests;
using Gantry.Server.Requests;
using Gantry.Store.Sqlite;

namespace Gantry.Server.Tests.Requests;

public sealed class RequestLogPrunerTests
{
    [Fact]
    public async Task ExecuteAsync_AppDeletedFromTheStore_ItsRequestsAreForgotten()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gantry-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = await SqliteResourceStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(directory, "gantry.db") }, TimeProvider.System);
            await store.CreateAsync(AppKinds.App, "shop", "{}");
            await store.CreateAsync(AppKinds.App, "blog", "{}");
            var log = new RequestLog();
            log.Add([new RequestReport { App = "shop", RouteId = "shop-web-80", Status = 200 }, new RequestReport { App = "blog", RouteId = "blog-web-80", Status = 200 }]);
            using var pruner = new RequestLogPruner(store, log, new ManualTimeProvider());
            await pruner.StartAsync(CancellationToken.None);

            await store.DeleteAsync(AppKinds.App, "shop");

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (log.HasApp("shop"))
            {
                await Task.Delay(20, timeout.Token);
            }
            Assert.Null(log.Route("shop-web-80"));
            Assert.True(log.HasApp("blog"));
            await pruner.StopAsync(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
