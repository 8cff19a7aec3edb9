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
    /// <summary>The storage mode that keeps everything in the silo processes.</summary>
    public const string MemoryStorage = "Memory";

    /// <summary>The storage mode that keeps membership, state and reminders in PostgreSQL.</summary>
    public const string PostgresStorage = "Postgres";

    /// <summary>The connection string key read in <see cref="PostgresStorage"/> mode.</summary>
    public const string ConnectionStringKey = "ConnectionStrings:MeshFlow";

    /// <summary>Returns the settings, or null after adding one message per invalid key to <paramref name="errors"/>.</summary>
    public static SiloSettings? Run(IConfiguration configuration, List<string> errors)
    {
        var storage = ReadStorage(configuration, errors);
        string? connectionString = null;
        if (storage == PostgresStorage)
        {
            connectionString = configuration[ConnectionStringKey];
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                errors.Add(
                    $"{ConnectionStringKey} is missing: MeshFlow:Storage is {PostgresStorage}, so give an Npgsql "
                    + "connection string, for example --ConnectionStrings:MeshFlow=\"Host=127.0.0.1;Username=meshflow;"
                    + "Database=meshflow\" or the environment variable ConnectionStrings__MeshFlow.");
            }
        }

        var settings = SiloSettings.Load(configuration, errors);
        CheckDelivery(configuration, errors);
        return errors.Count == 0 ? settings! with { Storage = storage, ConnectionString = connectionString } : null;
    }

    private static string ReadStorage(IConfiguration configuration, List<string> errors)
    {
        var storage = configuration["MeshFlow:Storage"] ?? MemoryStorage;
        if (string.Equals(storage, MemoryStorage, StringComparison.OrdinalIgnoreCase))
        {
            return MemoryStorage;
        }

        if (string.Equals(storage, PostgresStorage, StringComparison.OrdinalIgnoreCase))
        {
            return PostgresStorage;
        }

        errors.Add($"MeshFlow:Storage '{storage}' is invalid: use {MemoryStorage} or {PostgresStorage}.");
        return MemoryStorage;
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
