namespace Gantry.Store.Tests;

/// <summary>The audit log: kept apart from the events, newest first by query, bounded by count and age on append.</summary>
public sealed class AuditTests
{
    private static NewAuditRecord Entry(string actor, string? team = "web", int status = 202) =>
        new(actor, "203.0.113.7", "POST /api/v1/apps/hello/scale", "app hello", team, status, "Accepted");

    [Fact]
    public async Task ListAuditAsync_ByActorAndTeam_OnlyTheirEntriesOldestFirst()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.AppendAuditAsync(Entry("alice"));
        await temp.Store.AppendAuditAsync(Entry("bob", "ops", 403));
        await temp.Store.AppendAuditAsync(Entry("alice", "ops"));

        var alice = await temp.Store.ListAuditAsync(new AuditQuery { Actor = "alice" });
        var ops = await temp.Store.ListAuditAsync(new AuditQuery { Team = "ops" });

        Assert.Equal(["web", "ops"], alice.Select(a => a.Team));
        Assert.Equal(["bob", "alice"], ops.Select(a => a.Actor));
        Assert.Equal(403, ops[0].Status);
        Assert.True(alice[0].Id < alice[1].Id);
    }

    [Fact]
    public async Task ListAuditAsync_ByActionTargetAndBeforeId_PagesBackward()
    {
        await using var temp = await TempStore.CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await temp.Store.AppendAuditAsync(Entry("alice"));
        }
        await temp.Store.AppendAuditAsync(new NewAuditRecord("bob", "203.0.113.7", "DELETE /api/v1/tokens/x", "token x", null, 200, "OK"));

        var scales = await temp.Store.ListAuditAsync(new AuditQuery { Action = "/scale", Target = "app hello", Limit = 2 });
        var older = await temp.Store.ListAuditAsync(new AuditQuery { Action = "/scale", BeforeId = scales[0].Id, Limit = 10 });
        var literal = await temp.Store.ListAuditAsync(new AuditQuery { Action = "%" });

        Assert.Equal(2, scales.Count);
        Assert.Equal(3, older.Count);
        Assert.All(older, e => Assert.True(e.Id < scales[0].Id));
        Assert.Empty(literal);
        Assert.Equal("bob", Assert.Single(await temp.Store.ListAuditAsync(new AuditQuery { Target = "token x" })).Actor);
    }

    [Fact]
    public async Task AppendAuditAsync_BeyondTheCount_OldestPruned()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { MaxAuditEntries = 5 });
        for (var i = 0; i < 12; i++)
        {
            await temp.Store.AppendAuditAsync(Entry($"user{i}"));
        }

        var kept = await temp.Store.ListAuditAsync(new AuditQuery { Limit = 100 });

        Assert.Equal(Enumerable.Range(7, 5).Select(i => $"user{i}"), kept.Select(k => k.Actor));
    }

    [Fact]
    public async Task AppendAuditAsync_OlderThanTheAge_Pruned()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { AuditRetainAge = TimeSpan.FromDays(30) });
        await temp.Store.AppendAuditAsync(Entry("old"));
        temp.Time.Advance(TimeSpan.FromDays(31));
        await temp.Store.AppendAuditAsync(Entry("new"));

        Assert.Equal(["new"], (await temp.Store.ListAuditAsync(new AuditQuery())).Select(a => a.Actor));
    }

    [Fact]
    public async Task AppEvents_PrunedByTheirOwnRules_AuditKept()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { MaxEventsPerApp = 1 });
        await temp.Store.AppendAuditAsync(Entry("alice"));
        for (var i = 0; i < 5; i++)
        {
            await temp.Store.AppendEventAsync(new NewEvent("App", "hello", "Normal", "Scaled", $"scaled {i}", "hello"));
        }

        Assert.Single(await temp.Store.ListAuditAsync(new AuditQuery()));
    }
}
