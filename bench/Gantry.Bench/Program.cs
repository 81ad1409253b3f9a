using System.Diagnostics;
using System.Globalization;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Planning;
using Gantry.Model;

// Planning time for a large app against a faked engine view: the planner is pure, so this measures
// exactly the decision work a reconcile pass does, without the engine's latency.
var services = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var replicas = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

var app = new AppSpec
{
    Name = "big",
    Networks = [new NetworkSpec("default")],
    Services = Enumerable.Range(0, services).Select(i => new ServiceSpec
    {
        Name = $"svc{i:D4}",
        Image = "gantry/busybox:latest",
        Replicas = replicas,
        Command = ["httpd", "-f", "-p", "8080"],
        Environment = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["INDEX"] = i.ToString(CultureInfo.InvariantCulture), ["MODE"] = "bench" },
        Networks = [new ServiceNetworkSpec("default")],
        DependsOn = i > 0 ? [new DependencySpec($"svc{i - 1:D4}")] : [],
        Resources = new ResourcesSpec { MemoryLimitBytes = 64L << 20, NanoCpus = 100_000_000 },
    }).ToList(),
};
var images = app.Services.ToDictionary(s => s.Name, _ => "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
var now = DateTimeOffset.UnixEpoch.AddYears(56);

// Three engine views: empty (first deploy), converged (steady-state resync), half outdated (rolling update).
var converged = new List<ObservedContainer>();
foreach (var service in app.Services)
{
    var hash = SpecHash.Compute(service, images[service.Name]);
    for (var slot = 1; slot <= replicas; slot++)
    {
        converged.Add(new ObservedContainer($"{service.Name}-{slot}", Names.Container(app.Name, service.Name, slot, hash))
        {
            Labels = new Dictionary<string, string>
            {
                [GantryLabels.App] = app.Name,
                [GantryLabels.Service] = service.Name,
                [GantryLabels.Slot] = slot.ToString(CultureInfo.InvariantCulture),
                [GantryLabels.SpecHash] = hash,
            },
            State = "running",
            StartedAt = now.AddMinutes(-5),
        });
    }
}
var outdated = converged.Select((c, i) => i % 2 == 0 ? c with { Labels = new Dictionary<string, string>(c.Labels) { [GantryLabels.SpecHash] = "0000000000000000" } } : c).ToList();

Console.WriteLine($"planner: {services} services x {replicas} replicas ({services * replicas} containers), faked engine view");
foreach (var (name, view) in new[] { ("first deploy (empty engine)", new List<ObservedContainer>()), ("steady state (converged)", converged), ("rolling update (half outdated)", outdated) })
{
    var input = new PlanInput(app, 2, view, now) { ImageIds = images };
    for (var i = 0; i < 3; i++)
    {
        AppPlanner.Plan(input);
    }
    var times = new List<double>();
    AppPlan? plan = null;
    for (var i = 0; i < 10; i++)
    {
        var watch = Stopwatch.StartNew();
        plan = AppPlanner.Plan(input);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-32} median {times[times.Count / 2],8:0.0} ms   min {times[0],8:0.0} ms   (create {plan!.Create.Count}, remove {plan.Remove.Count}, wait {plan.Waiting.Count})"));
}
