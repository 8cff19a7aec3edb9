using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MeshFlow.Grains.Delivery;

namespace MeshFlow.Grains.Tests.Delivery;

public sealed class DeliveryOptionsTests
{
    [Fact]
    public void Validate_Defaults_Valid()
    {
        var results = Validate(new DeliveryOptions());

        Assert.Empty(results);
    }

    [Theory]
    [InlineData(nameof(DeliveryOptions.MaxRetries), "-1")]
    [InlineData(nameof(DeliveryOptions.MaxRetries), "101")]
    [InlineData(nameof(DeliveryOptions.InitialBackoff), "00:00:00.009")]
    [InlineData(nameof(DeliveryOptions.InitialBackoff), "1.00:00:01")]
    [InlineData(nameof(DeliveryOptions.BackoffMultiplier), "0.99")]
    [InlineData(nameof(DeliveryOptions.BackoffMultiplier), "100.5")]
    [InlineData(nameof(DeliveryOptions.BackoffMultiplier), "NaN")]
    [InlineData(nameof(DeliveryOptions.MaxBackoff), "00:00:00.009")]
    [InlineData(nameof(DeliveryOptions.MaxBackoff), "7.00:00:01")]
    [InlineData(nameof(DeliveryOptions.AttemptTimeout), "00:00:00.099")]
    [InlineData(nameof(DeliveryOptions.AttemptTimeout), "00:02:01")]
    [InlineData(nameof(DeliveryOptions.AttemptTimeout), "-00:00:01")]
    [InlineData(nameof(DeliveryOptions.Retention), "00:00:59")]
    [InlineData(nameof(DeliveryOptions.Retention), "90.00:00:01")]
    public void Validate_OutOfRange_NamesConfigurationKey(string property, string value)
    {
        var options = new DeliveryOptions();
        Set(options, property, value);

        var results = Validate(options);

        var result = Assert.Single(results);
        Assert.Contains("MeshFlow:Delivery:" + property, result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([property], result.MemberNames);
    }

    [Theory]
    [InlineData(nameof(DeliveryOptions.MaxRetries), "0")]
    [InlineData(nameof(DeliveryOptions.MaxRetries), "100")]
    [InlineData(nameof(DeliveryOptions.InitialBackoff), "00:00:00.010")]
    [InlineData(nameof(DeliveryOptions.BackoffMultiplier), "1")]
    [InlineData(nameof(DeliveryOptions.BackoffMultiplier), "100")]
    [InlineData(nameof(DeliveryOptions.MaxBackoff), "7.00:00:00")]
    [InlineData(nameof(DeliveryOptions.AttemptTimeout), "00:00:00.100")]
    [InlineData(nameof(DeliveryOptions.AttemptTimeout), "00:02:00")]
    [InlineData(nameof(DeliveryOptions.Retention), "00:01:00")]
    [InlineData(nameof(DeliveryOptions.Retention), "90.00:00:00")]
    public void Validate_BoundaryValue_Valid(string property, string value)
    {
        var options = new DeliveryOptions();
        Set(options, property, value);

        var results = Validate(options);

        Assert.Empty(results);
    }

    [Fact]
    public void Validate_MaxBackoffBelowInitialBackoff_Rejected()
    {
        var options = new DeliveryOptions
        {
            InitialBackoff = TimeSpan.FromMinutes(10),
            MaxBackoff = TimeSpan.FromMinutes(5),
        };

        var results = Validate(options);

        var result = Assert.Single(results);
        Assert.Contains("MeshFlow:Delivery:MaxBackoff", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("MeshFlow:Delivery:InitialBackoff", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([nameof(DeliveryOptions.MaxBackoff)], result.MemberNames);
    }

    [Fact]
    public void Validate_MaxBackoffEqualToInitialBackoff_Valid()
    {
        var options = new DeliveryOptions
        {
            InitialBackoff = TimeSpan.FromMinutes(5),
            MaxBackoff = TimeSpan.FromMinutes(5),
        };

        var results = Validate(options);

        Assert.Empty(results);
    }

    [Fact]
    public void Validate_SeveralOutOfRange_ReportsEach()
    {
        var options = new DeliveryOptions { MaxRetries = -1, AttemptTimeout = TimeSpan.FromMinutes(5) };

        var results = Validate(options);

        Assert.Equal(2, results.Count);
        Assert.Contains(
            results,
            result => result.ErrorMessage!.Contains("MeshFlow:Delivery:MaxRetries", StringComparison.Ordinal));
        Assert.Contains(
            results,
            result => result.ErrorMessage!.Contains("MeshFlow:Delivery:AttemptTimeout", StringComparison.Ordinal));
    }

    private static List<ValidationResult> Validate(DeliveryOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    private static void Set(DeliveryOptions options, string property, string value)
    {
        var info = typeof(DeliveryOptions).GetProperty(property)
            ?? throw new ArgumentException($"DeliveryOptions has no property '{property}'.", nameof(property));
        var converter = TypeDescriptor.GetConverter(info.PropertyType);
        info.SetValue(options, converter.ConvertFromString(null, CultureInfo.InvariantCulture, value));
    }
}
