namespace Gantry.Model.Api.Identity;

/// <summary>A team with how many users and apps it has.</summary>
public sealed record TeamView(string Name, DateTimeOffset Created, int Members, int Apps);
