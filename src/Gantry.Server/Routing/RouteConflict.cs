namespace Gantry.Server.Routing;

/// <summary>A route an app declares that another app (or another of its own services) already holds.</summary>
public sealed record RouteConflict(RouteClaim Claim, RouteClaim Owner)
{
    /// <summary>The refusal, prefixed with the x-gantry path of the claiming service (so a deploy can point at its line).</summary>
    public override string ToString() => Owner.App == Claim.App
        ? $"services.{Claim.Service}.x-gantry: {Claim.Describe()} is also routed by service '{Owner.Service}' of this app; " +
          "the router can send it to one service only: give one of them another host or path"
        : $"services.{Claim.Service}.x-gantry: {Claim.Describe()} is already routed by app '{Owner.App}' (service '{Owner.Service}'); " +
          $"a host and path belong to the app that declared them first. Use another host or path, or take it out of '{Owner.App}' " +
          $"first (deploy '{Owner.App}' without it, or remove '{Owner.App}') and deploy again";
}
