namespace Gantry.Router.Contracts.Requests;

/// <summary>`POST /api/v1/router/wake`: a router holds a request for a service that runs no replica and asks for one.</summary>
public sealed record WakeRequest(string App, string Service);
