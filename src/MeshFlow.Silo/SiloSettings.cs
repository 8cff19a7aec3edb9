using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Silo;

/// <summary>
/// The silo's network identity, read from the <c>MeshFlow</c> configuration section before the host is built.
/// </summary>
/// <param name="SiloPort">The silo-to-silo port.</param>
/// <param name="GatewayPort">The port clients connect to.</param>
/// <param name="AdvertisedIP">The address the silo listens on and advertises to other silos and clients.</param>
/// <param name="ClusterId">The cluster the silo joins; clients must use the same id.</param>
/// <param name="ServiceId">The service id, which also scopes stored state and reminders.</param>
internal sealed partial record SiloSettings(
    int SiloPort,
    int GatewayPort,
    IPAddress AdvertisedIP,
    string ClusterId,
    string ServiceId)
{
    /// <summary>Gets the storage mode, <c>Memory</c> or <c>Postgres</c>.</summary>
    public string Storage { get; init; } = "Memory";

    /// <summary>Gets the Npgsql connection string in <c>Postgres</c> mode; null in <c>Memory</c> mode.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Hides the connection string, which may contain a password, from logs.</summary>
    public override string ToString() =>
        $"SiloSettings {{ SiloPort = {SiloPort}, GatewayPort = {GatewayPort}, AdvertisedIP = {AdvertisedIP}, "
        + $"ClusterId = {ClusterId}, ServiceId = {ServiceId}, Storage = {Storage} }}";

    /// <summary>Reads and validates the settings; every invalid key adds one message to <paramref name="errors"/>.</summary>
    public static SiloSettings? Load(IConfiguration configuration, List<string> errors)
    {
        var section = configuration.GetSection("MeshFlow");
        var siloPort = ReadPort(section, "SiloPort", 11111, errors);
        var gatewayPort = ReadPort(section, "GatewayPort", 30000, errors);
        if (siloPort == gatewayPort && siloPort > 0)
        {
            errors.Add($"MeshFlow:SiloPort and MeshFlow:GatewayPort are both {siloPort}: give them different ports.");
        }

        var ipText = section["AdvertisedIP"] ?? "127.0.0.1";
        if (!IPAddress.TryParse(ipText, out var advertisedIP) || IPAddress.Any.Equals(advertisedIP)
            || IPAddress.IPv6Any.Equals(advertisedIP))
        {
            errors.Add(
                $"MeshFlow:AdvertisedIP '{ipText}' is invalid: use one IPv4 or IPv6 address of this machine that other "
                + "silos and clients can reach, such as 127.0.0.1 for a local cluster.");
        }

        var clusterId = ReadId(section, "ClusterId", "meshflow-dev", errors);
        var serviceId = ReadId(section, "ServiceId", "meshflow", errors);
        return errors.Count == 0
            ? new SiloSettings(siloPort, gatewayPort, advertisedIP!, clusterId, serviceId)
            : null;
    }

    private static int ReadPort(IConfigurationSection section, string key, int defaultValue, List<string> errors)
    {
        var text = section[key];
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            errors.Add($"MeshFlow:{key} '{text}' is invalid: use a TCP port number from 1 to 65535.");
            return -1;
        }

        return port;
    }

    private static string ReadId(IConfigurationSection section, string key, string defaultValue, List<string> errors)
    {
        var text = section[key] ?? defaultValue;
        if (!IdPattern().IsMatch(text))
        {
            errors.Add(
                $"MeshFlow:{key} '{text}' is invalid: use 1 to 64 ASCII letters, digits, '.', '_' or '-', starting "
                + "with a letter or digit.");
        }

        return text;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
