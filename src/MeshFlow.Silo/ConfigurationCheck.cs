using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using MeshFlow.Grains.Alerts;
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

    private static readonly string[] SiloKeys =
        ["Storage", "SiloPort", "GatewayPort", "AdvertisedIP", "ClusterId", "ServiceId", "Delivery", "Alerts"];

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
        CheckUnknownKeys(configuration.GetSection("MeshFlow"), SiloKeys, errors);
        CheckOptions<DeliveryOptions>(configuration.GetSection(DeliveryOptions.SectionName), errors);
        CheckOptions<AlertOptions>(configuration.GetSection(AlertOptions.SectionName), errors);
        return errors.Count == 0 ? settings! with { Storage = storage, ConnectionString = connectionString } : null;
    }

    /// <summary>
    /// Adds one message per command-line argument that is not a setting: the silo takes settings only, as
    /// <c>--Key=value</c> or <c>--Key value</c>.
    /// </summary>
    public static void CheckArguments(IReadOnlyList<string> args, List<string> errors)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var isKey = arg.StartsWith("--", StringComparison.Ordinal) || arg.StartsWith('/');
            if (!isKey)
            {
                errors.Add(
                    $"Unexpected argument '{arg}': give settings as --Key=value, such as --MeshFlow:SiloPort=11112.");
            }
            else if (!arg.Contains('=', StringComparison.Ordinal))
            {
                // The value follows as the next argument.
                i++;
            }
        }
    }

    private static void CheckUnknownKeys(IConfigurationSection section, IReadOnlyList<string> known, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(
                    $"Unknown setting '{child.Path}': the settings under {section.Path} are {string.Join(", ", known)}. "
                    + "Check the spelling.");
            }
        }
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

    /// <summary>
    /// Adds one message per invalid setting of an options section. Each key must name a property of
    /// <typeparamref name="TOptions"/>, each value must parse as that property's type, and the bound options must pass
    /// their DataAnnotations validation.
    /// </summary>
    private static void CheckOptions<TOptions>(IConfigurationSection section, List<string> errors)
        where TOptions : class, new()
    {
        var properties = typeof(TOptions).GetProperties();
        CheckUnknownKeys(section, [.. properties.Select(property => property.Name)], errors);

        // Values are parsed key by key first, so a value of the wrong type gets a message naming its key and the
        // allowed values rather than the binder's message about .NET types.
        var typeErrors = errors.Count;
        foreach (var property in properties)
        {
            var text = section[property.Name];
            if (text is not null && !CanParse(property.PropertyType, text))
            {
                errors.Add($"{section.Path}:{property.Name} '{text}' is invalid: use {DescribeAllowed(property)}.");
            }
        }

        if (errors.Count > typeErrors)
        {
            return;
        }

        var options = new TOptions();
        section.Bind(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        errors.AddRange(results.Select(result => DescribeResult(result, section, options)));
    }

    // Adds the value as given and, when it differs, as read, so "2" read as two days is visible in the message.
    private static string DescribeResult<TOptions>(ValidationResult result, IConfigurationSection section, TOptions options)
    {
        var message = result.ErrorMessage ?? $"Invalid {section.Path} settings.";
        var member = result.MemberNames.FirstOrDefault();
        var text = member is null ? null : section[member];
        if (member is null || text is null)
        {
            return message;
        }

        var value = typeof(TOptions).GetProperty(member)?.GetValue(options);
        var read = value is IFormattable formattable
            ? formattable.ToString(null, CultureInfo.InvariantCulture)
            : value?.ToString();
        return read is null || read == text
            ? $"{message} It is '{text}'."
            : $"{message} It is '{text}', read as {read}.";
    }

    private static bool CanParse(Type type, string text)
    {
        var culture = CultureInfo.InvariantCulture;
        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.AllowLeadingSign, culture, out _);
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, culture, out var number) && double.IsFinite(number);
        }

        return type != typeof(TimeSpan) || TimeSpan.TryParse(text, culture, out _);
    }

    private static string DescribeAllowed(PropertyInfo property)
    {
        var range = property.GetCustomAttribute<RangeAttribute>();
        var bounds = range is null ? "" : $" from {range.Minimum} to {range.Maximum}";
        if (property.PropertyType == typeof(int))
        {
            return "a whole number" + bounds;
        }

        if (property.PropertyType == typeof(double))
        {
            return "a number" + bounds;
        }

        return "a duration written as [d.]hh:mm:ss[.fff], such as 00:00:05," + bounds;
    }
}
