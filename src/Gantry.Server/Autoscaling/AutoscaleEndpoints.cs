using System.Globalization;
using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Autoscaling;
using Gantry.Model.Api;
using Gantry.Model.Autoscaling;
using Gantry.Router.Contracts.Requests;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Autoscaling;

/// <summary>`GET /api/v1/apps/{app}/autoscale`: the policy, current values and recent decisions of each autoscaled service, for anyone with a role in the app's team.</summary>
public static class AutoscaleEndpoints
{
    public static IEndpointRouteBuilder MapAutoscaleEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/apps/{app}/autoscale", ShowAsync).WithTags("apps").WithName("AppAutoscale").Access(AccessKind.App);
        routes.MapPost("/api/v1/router/wake", WakeAsync).WithTags("router").WithName("WakeService").Access(AccessKind.Router);
        return routes;
    }

    private static async Task<IResult> ShowAsync(string app, IResourceStore store, AutoscaleBook book, CancellationToken ct)
    {
        if (await store.GetAppAsync(app, ct) is not { IsBeingDeleted: false } stored)
        {
            return ApiResults.NotFound($"app '{app}' does not exist");
        }
        var services = stored.Spec.Services.Where(s => s.Autoscale is not null).Select(s =>
        {
            var policy = s.Autoscale!;
            var (last, recent, readings) = book.View(app, s.Name);
            return new AutoscaleServiceView(s.Name, policy.Min, policy.Max, s.Replicas, Targets(policy, readings), last, recent)
            {
                ScaleInDelay = Autoscaler.Short(policy.ScaleInDelay),
                Idle = policy.Idle is { } idle ? Autoscaler.Short(idle) : null,
                Schedule = [.. policy.Schedule.Select(f => $"{f.Cron}: min {f.Min} for {Autoscaler.Short(f.For)}")],
            };
        }).ToList();
        return Results.Json(new AutoscaleView(app, services), ApiJsonContext.Default.AutoscaleView);
    }

    /// <summary>A router holds a request for a service at zero replicas: start it now. 202 when it is (being) woken, 404 when there is no such autoscaled service.</summary>
    private static async Task<IResult> WakeAsync(HttpContext context, AutoscaleController autoscaler)
    {
        var (request, bad) = await ApiResults.ReadJsonAsync(context, RequestReportJsonContext.Default.WakeRequest, "a wake request", context.RequestAborted);
        if (bad is not null)
        {
            return bad;
        }
        if (request is not { App.Length: > 0, Service.Length: > 0 })
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "send {\"app\": \"APP\", \"service\": \"SERVICE\"}");
        }
        return await autoscaler.WakeAsync(request.App, request.Service, context.RequestAborted)
            ? Results.Accepted()
            : ApiResults.NotFound($"'{request.App}' has no autoscaled service '{request.Service}' to wake");
    }

    /// <summary>Each target the policy sets, in the order x-gantry lists them, with the last decision's reading of it.</summary>
    public static List<AutoscaleTargetView> Targets(AutoscaleSpec policy, IReadOnlyList<AutoscaleReading> readings)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(readings);
        var targets = new List<AutoscaleTargetView>();
        void Add(AutoscaleTarget target, double? wanted)
        {
            if (wanted is { } w)
            {
                var reading = readings.FirstOrDefault(r => r.Target == target);
                targets.Add(new AutoscaleTargetView(AutoscaleReading.NameOf(target), Format(target, w),
                    reading is null ? null : Format(target, reading.Observed) + (reading.Complete ? "" : " (not every replica reported)")));
            }
        }
        Add(AutoscaleTarget.Cpu, policy.Cpu);
        Add(AutoscaleTarget.Memory, policy.Memory);
        Add(AutoscaleTarget.RequestsPerSecond, policy.RequestsPerSecond);
        Add(AutoscaleTarget.P95, policy.P95?.TotalSeconds);
        return targets;
    }

    private static string Format(AutoscaleTarget target, double value) => target switch
    {
        AutoscaleTarget.Cpu or AutoscaleTarget.Memory => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        AutoscaleTarget.RequestsPerSecond => value.ToString("0.#", CultureInfo.InvariantCulture) + "/s per replica",
        _ => (value * 1000).ToString("0", CultureInfo.InvariantCulture) + "ms",
    };
}
