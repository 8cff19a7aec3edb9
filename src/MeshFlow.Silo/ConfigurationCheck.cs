using System.ComponentModel.DataAnnotations;
using MeshFlow.Grains.Delivery;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Silo;

/// <summary>
/// Checks the configuration before the silo starts, so every invalid value stops it with one message naming the key
/// and the allowed values.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>The only storage mode this build supports.</summary>
    public const string MemoryStorage = "Memory";

    /// <summary>Returns the settings, or null after adding one message per invalid key to <paramref name="errors"/>.</summary>
    public static SiloSettings? Run(IConfiguration configuration, List<string> errors)
    {
        var storage = configuration["MeshFlow:Storage"] ?? MemoryStorage;
        if (!string.Equals(storage, MemoryStorage, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"MeshFlow:Storage '{storage}' is invalid: use {MemoryStorage}.");
        }

        var settings = SiloSettings.Load(configuration, errors);
        CheckDelivery(configuration, errors);
        return errors.Count == 0 ? settings : null;
    }

    private static void CheckDelivery(IConfiguration configuration, List<string> errors)
    {
        var options = new DeliveryOptions();
        try
        {
            configuration.GetSection(DeliveryOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(
                ex.Message + " Use a whole number for MaxRetries, a number for BackoffMultiplier, and a TimeSpan such "
                + "as 00:00:05 for the durations.");
            return;
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        errors.AddRange(results.Select(result => result.ErrorMessage ?? "Invalid MeshFlow:Delivery settings."));
    }
}
