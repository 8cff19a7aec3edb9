using MeshFlow.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// appsettings.json ships beside the binary, so the silo finds it whatever the working folder is.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

var errors = new List<string>();
ConfigurationCheck.CheckArguments(args, errors);
var settings = ConfigurationCheck.Run(builder.Configuration, errors);
if (settings is null || errors.Count > 0)
{
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync("Invalid configuration: " + error);
    }

    return 2;
}

var portError = SiloStartup.CheckPortsFree(settings);
if (portError is not null)
{
    await Console.Error.WriteLineAsync(portError);
    return 1;
}

if (settings.ConnectionString is { } connectionString)
{
    // Checked before the host starts, so a missing schema gives one message instead of a failed start.
    var schemaError = await SiloStartup.CheckSchemaAsync(connectionString);
    if (schemaError is { } failure)
    {
        await Console.Error.WriteLineAsync(failure.Message);
        return failure.ExitCode;
    }
}

builder.UseOrleans(silo => SiloStartup.Configure(silo, settings));

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeshFlow.Silo");
try
{
    await host.StartAsync();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("Invalid configuration: " + string.Join(" ", ex.Failures));
    return 2;
}
catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OrleansException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync(
        $"Cannot start the silo: {ex.Message} Check that ports {settings.SiloPort} (MeshFlow:SiloPort) and "
        + $"{settings.GatewayPort} (MeshFlow:GatewayPort) are free on {settings.AdvertisedIP}.");
    return 1;
}

var siloEndpoint = $"{settings.AdvertisedIP}:{settings.SiloPort}";
var gatewayEndpoint = $"{settings.AdvertisedIP}:{settings.GatewayPort}";
SiloLog.Ready(logger, settings.ClusterId, siloEndpoint, gatewayEndpoint, settings.Storage);

await host.WaitForShutdownAsync();
SiloLog.Stopped(logger, settings.ClusterId);
return 0;
