using Gantry.Controllers.Planning;

namespace Gantry.Controllers.Tests.Planning;

public class RestartBackoffTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(30, 300)]
    public void DelayAfter_Restarts_DoublesUpToTheMax(int restarts, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), new RestartBackoff().DelayAfter(restarts));
    }
}
