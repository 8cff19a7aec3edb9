using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Client;

/// <summary>
/// A parsed gateway address: a host, which is an IP address or a host name, and a TCP port.
/// </summary>
/// <param name="Host">An IPv4 address, an IPv6 address without brackets, or a host name.</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
public readonly record struct GatewayAddress(string Host, int Port)
{
    private const string Example = "127.0.0.1:30000";

    /// <summary>
    /// Parses <c>host:port</c>, returning false and an error message that names the value and the fix when
    /// <paramref name="text"/> is not a valid gateway address.
    /// </summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        out GatewayAddress address,
        [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"Missing gateway address: give host:port, such as {Example}.";
            return false;
        }

        // A URL such as http://127.0.0.1:30000 would otherwise fail the IPv6 check below, whose hint misleads.
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            error = $"Invalid gateway '{text}': give host:port without the scheme '{text[..(schemeEnd + 3)]}', "
                + $"such as {SuggestWithoutScheme(text[(schemeEnd + 3)..])}.";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"Invalid gateway '{text}': expected host:port, such as {Example}.";
            return false;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            error = $"Invalid gateway '{text}': the port must be a number from 1 to 65535, such as {Example}.";
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var ipv6) || ipv6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"Invalid gateway '{text}': '{host}' in brackets is not an IPv6 address, such as [::1]:30000.";
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"Invalid gateway '{text}': put an IPv6 address in brackets, such as [::1]:30000.";
            return false;
        }
        else if (Uri.CheckHostName(host) is not (UriHostNameType.IPv4 or UriHostNameType.Dns))
        {
            error = $"Invalid gateway '{text}': '{host}' is not an IP address or host name; use host:port, "
                + $"such as {Example}.";
            return false;
        }

        address = new GatewayAddress(host, port);
        error = null;
        return true;
    }

    /// <summary>
    /// Parses <c>host:port</c>, throwing <see cref="FormatException"/> with a message that names the value and the
    /// fix when <paramref name="text"/> is not a valid gateway address.
    /// </summary>
    public static GatewayAddress Parse(string? text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    /// <summary>
    /// Resolves the host to an endpoint, preferring an IPv4 address when a host name has several.
    /// Throws <see cref="MeshFlowConnectionException"/> when the name cannot be resolved.
    /// </summary>
    public IPEndPoint ResolveEndPoint()
    {
        if (IPAddress.TryParse(Host, out var literal))
        {
            return new IPEndPoint(literal, Port);
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(Host);
        }
        catch (SocketException exception)
        {
            throw new MeshFlowConnectionException(
                $"Cannot resolve the MeshFlow gateway host '{Host}': {exception.Message}. "
                + "Use an IP address or a host name that resolves.",
                [ToString()],
                exception);
        }

        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new MeshFlowConnectionException(
                $"Cannot resolve the MeshFlow gateway host '{Host}': it has no addresses.",
                [ToString()]);
        return new IPEndPoint(chosen, Port);
    }

    /// <summary>Formats the address as <c>host:port</c>, with an IPv6 address in brackets.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    // Returns the host:port part of a URL's remainder when it is a valid gateway, and the standard example otherwise.
    private static string SuggestWithoutScheme(string afterScheme)
    {
        var end = afterScheme.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? afterScheme : afterScheme[..end];
        return TryParse(authority, out var address, out _) ? address.ToString() : Example;
    }
}
