using MeshFlow.Client;

namespace MeshFlow.Cli.Tests.Client;

public sealed class GatewayAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:30000", "127.0.0.1", 30000, "127.0.0.1:30000")]
    [InlineData("localhost:1", "localhost", 1, "localhost:1")]
    [InlineData("[::1]:65535", "::1", 65535, "[::1]:65535")]
    [InlineData("silo-0.meshflow.internal:30000", "silo-0.meshflow.internal", 30000, "silo-0.meshflow.internal:30000")]
    public void TryParse_ValidAddress_ReturnsHostAndPort(string text, string host, int port, string formatted)
    {
        var parsed = GatewayAddress.TryParse(text, out var address, out var error);

        Assert.True(parsed);
        Assert.Null(error);
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(formatted, address.ToString());
    }

    [Theory]
    [InlineData("", "Missing gateway address")]
    [InlineData("127.0.0.1", "expected host:port")]
    [InlineData(":30000", "expected host:port")]
    [InlineData("127.0.0.1:", "expected host:port")]
    [InlineData("127.0.0.1:0", "from 1 to 65535")]
    [InlineData("127.0.0.1:65536", "from 1 to 65535")]
    [InlineData("127.0.0.1:+80", "from 1 to 65535")]
    [InlineData("::1:30000", "put an IPv6 address in brackets")]
    [InlineData("[127.0.0.1]:30000", "is not an IPv6 address")]
    [InlineData("bad host:30000", "is not an IP address or host name")]
    public void TryParse_InvalidAddress_ExplainsFix(string text, string expected)
    {
        var parsed = GatewayAddress.TryParse(text, out _, out var error);

        Assert.False(parsed);
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:30000", "'http://', such as 127.0.0.1:30000.")]
    [InlineData("https://silo-0.meshflow.internal:30000/", "'https://', such as silo-0.meshflow.internal:30000.")]
    [InlineData("tcp://[::1]:30000", "'tcp://', such as [::1]:30000.")]
    [InlineData("http://127.0.0.1", "'http://', such as 127.0.0.1:30000.")]
    public void TryParse_Url_SaysToDropScheme(string text, string expected)
    {
        var parsed = GatewayAddress.TryParse(text, out _, out var error);

        Assert.False(parsed);
        Assert.NotNull(error);
        Assert.StartsWith(
            $"Invalid gateway '{text}': give host:port without the scheme ",
            error,
            StringComparison.Ordinal);
        Assert.EndsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("IPv6", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveEndPoint_Localhost_ReturnsLoopback()
    {
        var address = GatewayAddress.Parse("localhost:30000");

        var endPoint = address.ResolveEndPoint();

        Assert.True(System.Net.IPAddress.IsLoopback(endPoint.Address));
        Assert.Equal(30000, endPoint.Port);
    }
}
