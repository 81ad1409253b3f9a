using System.Net;
using Gantry.Registry.Auth;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Auth;

public sealed class AuthFailureLimiterTests
{
    private static readonly string Address = AuthFailureLimiter.AddressKey(IPAddress.Parse("203.0.113.7"));
    private static readonly string Other = AuthFailureLimiter.AddressKey(IPAddress.Parse("203.0.113.8"));

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    private AuthFailureLimiter Limiter(int maxEntries = 100) => new(_time, maxFailures: 5, window: TimeSpan.FromMinutes(1), maxEntries: maxEntries);

    [Fact]
    public void RecordFailure_BelowTheLimit_NotLockedOut()
    {
        var limiter = Limiter();
        for (int i = 0; i < 4; i++)
        {
            Assert.False(limiter.RecordFailure(Address));
        }

        Assert.Null(limiter.RetryAfter(Address));
    }

    [Fact]
    public void RecordFailure_AtTheLimit_LocksTheAddressForAWindow()
    {
        var limiter = Limiter();
        for (int i = 0; i < 4; i++)
        {
            limiter.RecordFailure(Address);
        }

        Assert.True(limiter.RecordFailure(Address));
        Assert.Equal(TimeSpan.FromMinutes(1), limiter.RetryAfter(Address));
        Assert.Null(limiter.RetryAfter(Other));
    }

    [Fact]
    public void RetryAfter_WindowPassed_LockLiftedAndCountFresh()
    {
        var limiter = Limiter();
        for (int i = 0; i < 5; i++)
        {
            limiter.RecordFailure(Address);
        }

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.RetryAfter(Address));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(limiter.RetryAfter(Address));
        Assert.False(limiter.RecordFailure(Address));
    }

    [Fact]
    public void RecordFailure_SpreadOverMoreThanAWindow_NeverLocks()
    {
        var limiter = Limiter();
        for (int i = 0; i < 20; i++)
        {
            Assert.False(limiter.RecordFailure(Address));
            _time.Advance(TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public void RecordFailure_OneUserFromManyAddresses_LocksTheUser()
    {
        var limiter = Limiter();
        string user = AuthFailureLimiter.UserKey("admin");
        for (int i = 0; i < 5; i++)
        {
            limiter.RecordFailure(AuthFailureLimiter.AddressKey(IPAddress.Parse($"198.51.100.{i + 1}")), user);
        }

        Assert.NotNull(limiter.RetryAfter(Other, user));
        Assert.Null(limiter.RetryAfter(Other, AuthFailureLimiter.UserKey("reader")));
        Assert.Null(limiter.RetryAfter(Other));
    }

    [Fact]
    public void RecordSuccess_AfterSomeFailures_ClearsTheCount()
    {
        var limiter = Limiter();
        for (int i = 0; i < 4; i++)
        {
            limiter.RecordFailure(Address);
        }

        limiter.RecordSuccess(Address);

        Assert.False(limiter.RecordFailure(Address));
        Assert.Null(limiter.RetryAfter(Address));
    }

    [Fact]
    public void AddressKey_Ipv6_CountsPerSlash64()
    {
        Assert.Equal(AuthFailureLimiter.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), AuthFailureLimiter.AddressKey(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(AuthFailureLimiter.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), AuthFailureLimiter.AddressKey(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(AuthFailureLimiter.AddressKey(IPAddress.Parse("203.0.113.7")), AuthFailureLimiter.AddressKey(IPAddress.Parse("::ffff:203.0.113.7")));
    }

    [Fact]
    public void RecordFailure_ManyAddresses_MemoryStaysBoundedAndLockedOnesAreKept()
    {
        var limiter = Limiter(maxEntries: 10);
        for (int i = 0; i < 5; i++)
        {
            limiter.RecordFailure(Address);
        }

        for (int i = 0; i < 1000; i++)
        {
            limiter.RecordFailure(AuthFailureLimiter.AddressKey(new IPAddress(0x0A000000 + i)));
        }

        Assert.InRange(limiter.Count, 1, 10);
        Assert.NotNull(limiter.RetryAfter(Address));
    }
}
