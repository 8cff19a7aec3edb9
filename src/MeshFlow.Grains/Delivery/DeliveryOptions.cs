using System.ComponentModel.DataAnnotations;

namespace MeshFlow.Grains.Delivery;

/// <summary>
/// Retry policy and limits of webhook deliveries, bound from the <c>MeshFlow:Delivery</c> configuration section.
/// </summary>
public sealed class DeliveryOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MeshFlow:Delivery";

    /// <summary>
    /// Gets or sets how many times a failed attempt is retried, so a delivery makes at most this plus one attempts.
    /// </summary>
    /// <value>The default value is 3. Allowed: 0 to 100.</value>
    [Range(0, 100, ErrorMessage = "MeshFlow:Delivery:MaxRetries must be between {1} and {2}.")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the delay after the first failed attempt, before jitter.</summary>
    /// <value>The default value is 10 seconds. Allowed: 00:00:00.010 to 1.00:00:00.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00",
        ErrorMessage = "MeshFlow:Delivery:InitialBackoff must be between {1} and {2}.")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the factor each further delay grows by.</summary>
    /// <value>The default value is 5. Allowed: 1 to 100.</value>
    [Range(1.0, 100.0, ErrorMessage = "MeshFlow:Delivery:BackoffMultiplier must be between {1} and {2}.")]
    public double BackoffMultiplier { get; set; } = 5;

    /// <summary>Gets or sets the longest delay between two attempts, also the cap on a receiver's Retry-After.</summary>
    /// <value>The default value is 1 hour. Allowed: 00:00:00.010 to 7.00:00:00, and at least InitialBackoff.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00",
        ErrorMessage = "MeshFlow:Delivery:MaxBackoff must be between {1} and {2}.")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long one HTTP attempt may take before it counts as timed out.</summary>
    /// <value>The default value is 15 seconds. Allowed: 00:00:00.100 to 00:02:00.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00",
        ErrorMessage = "MeshFlow:Delivery:AttemptTimeout must be between {1} and {2}.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how long a finished delivery and a published event keep their record, for status queries and
    /// for recognizing a publish of the same event id.
    /// </summary>
    /// <value>The default value is 7 days. Allowed: 00:01:00 to 90.00:00:00.</value>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00",
        ErrorMessage = "MeshFlow:Delivery:Retention must be between {1} and {2}.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxBackoff < InitialBackoff)
        {
            yield return new ValidationResult(
                $"MeshFlow:Delivery:MaxBackoff ({MaxBackoff}) must be at least MeshFlow:Delivery:InitialBackoff "
                + $"({InitialBackoff}).",
                [nameof(MaxBackoff)]);
        }
    }
}
