using Microsoft.Extensions.Options;

namespace MeshFlow.Client;

/// <summary>
/// Validates <see cref="MeshFlowClientOptions"/> and reports every invalid setting with the fix.
/// </summary>
internal sealed class MeshFlowClientOptionsValidator : IValidateOptions<MeshFlowClientOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MeshFlowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var errors = new List<string>();
        foreach (var gateway in options.Gateways ?? [])
        {
            if (!GatewayAddress.TryParse(gateway, out _, out var error))
            {
                errors.Add($"MeshFlowClientOptions.Gateways: {error}");
            }
        }

        if (options.ReadsGatewaysFromDatabase
            && !ClusterDatabase.TryParse(options.ConnectionString, out _, out var connectionError))
        {
            errors.Add($"MeshFlowClientOptions.ConnectionString is invalid: {connectionError}");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            errors.Add(
                $"MeshFlowClientOptions.ClusterId is empty: set the silos' cluster id, such as "
                + $"{MeshFlowClientOptions.DefaultClusterId}.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            errors.Add(
                $"MeshFlowClientOptions.ServiceId is empty: set the silos' service id, such as "
                + $"{MeshFlowClientOptions.DefaultServiceId}.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > MeshFlowClientOptions.MaxConnectTimeout)
        {
            errors.Add(
                $"MeshFlowClientOptions.ConnectTimeout is {options.ConnectTimeout}: use a value greater than zero and "
                + $"at most {MeshFlowClientOptions.MaxConnectTimeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
