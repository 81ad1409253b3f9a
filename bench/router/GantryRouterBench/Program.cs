using System.Globalization;
using System.Net;
using Gantry.Router.Hosting;

// Usage: GantryRouterBench <routes.json> <external-port> <admin-port> [access-log]
var port = int.Parse(args[1], CultureInfo.InvariantCulture);
var admin = int.Parse(args[2], CultureInfo.InvariantCulture);
using var stop = new CancellationTokenSource();
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
await RouterHost.RunAsync(new RouterOptions
{
    ExternalHttp = new IPEndPoint(IPAddress.Loopback, port),
    Internal = null,
    Admin = new IPEndPoint(IPAddress.Loopback, admin),
    RoutesFile = args[0],
    AccessLog = args.Length > 3 ? args[3] : null,
    PreferInlineScheduling = Environment.GetEnvironmentVariable("GANTRY_INLINE") != "0",
}, stop.Token).ConfigureAwait(false);
