using Gantry.Model.Api;
using Gantry.Server.Bundles;
using Gantry.Server.Identity;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Apps;

/// <summary>
/// A deploy from an uploaded bundle, from the request check to the answer: what `PUT /api/v1/apps/{app}` (the CLI's
/// `gantry deploy`, `--check` included) and the console's Deploy page both run, so they check, plan and refuse alike.
/// </summary>
public sealed class BundleDeployer(DeployService deploys, BundleStore bundles)
{
    /// <summary>The deploy's answer, or the problem the API answers with (422 with located errors, 409, 413...).</summary>
    public async Task<(DeployResponse? Response, ApiProblem? Problem)> DeployAsync(string app, DeployRequest request, Stream bundle, Principal caller, CancellationToken ct)
    {
        // Everything that can be checked without the bundle is, before a byte of it is unpacked.
        (request, var requestErrors) = DeployRequestCheck.Check(app, request);
        if (requestErrors.Count > 0)
        {
            return (null, Problem(ChangeOutcome<DeployResponse>.Invalid(requestErrors)));
        }
        BundleLease lease;
        try
        {
            lease = await bundles.ExtractAsync(bundle, temporary: request.DryRun, ct).ConfigureAwait(false);
        }
        catch (BundleException e)
        {
            return (null, e.Problem == BundleProblem.TooLarge
                ? ApiResults.ProblemBody(StatusCodes.Status413PayloadTooLarge, "Bundle too large", e.Message + "; nothing was deployed")
                : ApiResults.ProblemBody(StatusCodes.Status422UnprocessableEntity, "Invalid bundle", e.Message + "; nothing was deployed"));
        }
        await using (lease.ConfigureAwait(false))
        {
            // A dry run's bundle is deleted when the lease goes; a real one is kept while a release references it.
            var outcome = await deploys.DeployAsync(app, request, lease.Directory, caller, ct).ConfigureAwait(false);
            return (outcome.Response, Problem(outcome));
        }
    }

    /// <summary>The problem a refused deploy or scale answers with, in the API's words.</summary>
    public static ApiProblem? Problem(ChangeOutcome<DeployResponse> outcome) =>
        ApiResults.ProblemOf(outcome, "Deploy", "Invalid compose project");
}
