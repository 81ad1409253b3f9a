using System.CommandLine;
using System.Net.Http.Json;
using Gantry.Cli.Output;
using System.Text.Json.Serialization.Metadata;
using Gantry.Model.Api.Identity;

namespace Gantry.Cli.Commands;

/// <summary>What the user, team and token verbs share: request bodies, role names and parsing.</summary>
internal static class IdentityJson
{
    public static HttpContent Body<T>(T value, JsonTypeInfo<T> info) => JsonContent.Create(value, info);

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    public static Role ParseRole(string text) => text.ToLowerInvariant() switch
    {
        "viewer" => Role.Viewer,
        "deployer" => Role.Deployer,
        "admin" => Role.Admin,
        _ => throw new CliException(ExitCodes.Usage, $"--role '{text}' is not a role: use viewer, deployer or admin"),
    };

    /// <summary>
    /// A listing verb (users, teams, tokens): GET <paramref name="path"/>, then the API's JSON with `-o json` or a table of
    /// <paramref name="headers"/> and <paramref name="row"/>.
    /// </summary>
    public static Command Listing<T>(CliContext context, string name, string description, string path,
        Func<Gantry.Model.Api.ApiJsonContext, JsonTypeInfo<IReadOnlyList<T>>> info, string[] headers, Func<T, IReadOnlyList<string>> row)
    {
        var output = SharedOptions.Output();
        var command = new Command(name, description) { output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var items = await api.CallAsync(HttpMethod.Get, path, null, info(Gantry.Model.Api.ApiJsonContext.Default), ct).ConfigureAwait(false);
            if (parse.GetValue(output) == "json")
            {
                JsonOutput.Write(context.Out, items, info(JsonOutput.Indented));
                return ExitCodes.Ok;
            }
            TableWriter.Write(context.Out, headers, items.Select(row));
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }

    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string Path(params string[] segments) => string.Join('/', segments.Select(Uri.EscapeDataString));
}
