using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// A threshold rule over one metric: the metric is aggregated over a sliding window and compared with a threshold,
/// and state changes are sent to a webhook.
/// </summary>
/// <param name="Name">The rule name: 1 to 64 ASCII letters, digits, '.', '_' or '-'. It is part of every alert id.</param>
/// <param name="Metric">The metric name: dot-separated segments of lowercase ASCII letters, digits and '_', such as agent.cost_usd, at most 128 characters.</param>
/// <param name="Threshold">The finite value that the aggregate is compared with.</param>
/// <param name="WindowSeconds">The window length in seconds, from 1 to 86 400, and a multiple of 60 above 3600.</param>
/// <param name="WebhookUrl">The absolute http or https URL that receives the notifications.</param>
/// <param name="Aggregation">The function that reduces the window to one value.</param>
/// <param name="Comparison">The operator applied as <c>aggregate OP threshold</c>.</param>
/// <param name="ForSeconds">How long the condition must hold before the alert fires, from 0 (fire at once) to 86 400.</param>
/// <param name="RepeatSeconds">The interval between repeat notifications while firing, from 60 to 604 800, or <see langword="null"/> for no repeats.</param>
/// <param name="Event">The event type of the notifications: <see cref="AlertEventType"/> or one of <see cref="EventTypes.All"/>.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.alert-rule")]
public sealed partial record AlertRule(
    [property: Id(0)] string Name,
    [property: Id(1)] string Metric,
    [property: Id(2)] double Threshold,
    [property: Id(3)] int WindowSeconds,
    [property: Id(4)] string WebhookUrl,
    [property: Id(5)] AlertAggregation Aggregation = AlertAggregation.Sum,
    [property: Id(6)] AlertComparison Comparison = AlertComparison.Gt,
    [property: Id(7)] int ForSeconds = 0,
    [property: Id(8)] int? RepeatSeconds = null,
    [property: Id(9)] string Event = AlertRule.AlertEventType)
{
    /// <summary>The default event type of alert notifications.</summary>
    public const string AlertEventType = "alert";

    /// <summary>The maximum length of a rule name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest window: one day.</summary>
    public const int MaxWindowSeconds = 86_400;

    /// <summary>The longest window that is counted in one-second buckets.</summary>
    public const int MaxFineWindowSeconds = 3600;

    /// <summary>The bucket length, in seconds, of windows longer than <see cref="MaxFineWindowSeconds"/>.</summary>
    public const int CoarseBucketSeconds = 60;

    /// <summary>The maximum pending duration: one day.</summary>
    public const int MaxForSeconds = 86_400;

    /// <summary>The shortest repeat interval, so a firing alert cannot send more than one repeat a minute.</summary>
    public const int MinRepeatSeconds = 60;

    /// <summary>The longest repeat interval: one week.</summary>
    public const int MaxRepeatSeconds = 604_800;

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> for the first invalid field of <paramref name="rule"/>, with a
    /// message that names the value and the accepted range.
    /// </summary>
    public static void Validate(AlertRule? rule)
    {
        if (rule is null)
        {
            throw new MeshFlowValidationException("Missing alert rule: give a rule with a name, metric, threshold, window and webhook URL.");
        }

        ValidateName(rule.Name);

        MeshFlow.Grains.Validation.MetricName(rule.Metric);

        if (!double.IsFinite(rule.Threshold))
        {
            throw new MeshFlowValidationException(
                $"Invalid threshold '{rule.Threshold.ToString(CultureInfo.InvariantCulture)}': use a finite number.");
        }

        ValidateWindow(rule.WindowSeconds);

        MeshFlow.Grains.Validation.WebhookUrl(rule.WebhookUrl);

        if (!Enum.IsDefined(rule.Aggregation))
        {
            throw new MeshFlowValidationException(
                $"Invalid aggregation '{rule.Aggregation}': use one of {string.Join(", ", Enum.GetNames<AlertAggregation>())}.");
        }

        if (!Enum.IsDefined(rule.Comparison))
        {
            throw new MeshFlowValidationException(
                $"Invalid comparison '{rule.Comparison}': use one of {string.Join(", ", Enum.GetNames<AlertComparison>())}.");
        }

        if (rule.ForSeconds is < 0 or > MaxForSeconds)
        {
            throw new MeshFlowValidationException(
                $"Invalid pending duration {rule.ForSeconds} s: use 0 to {MaxForSeconds} seconds (0 fires at once).");
        }

        if (rule.RepeatSeconds is < MinRepeatSeconds or > MaxRepeatSeconds)
        {
            throw new MeshFlowValidationException(
                $"Invalid repeat interval {rule.RepeatSeconds} s: use {MinRepeatSeconds} to {MaxRepeatSeconds} seconds, "
                + "or leave it unset for no repeats.");
        }

        if (rule.Event != AlertEventType && !EventTypes.IsKnown(rule.Event))
        {
            throw new MeshFlowValidationException(
                $"Invalid alert event type '{rule.Event}': use '{AlertEventType}' or one of {string.Join(", ", EventTypes.All)}.");
        }
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> unless <paramref name="name"/> is a valid rule name.
    /// </summary>
    public static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            throw new MeshFlowValidationException(
                $"Invalid alert rule name '{name}': use 1 to {MaxNameLength} ASCII letters, digits, '.', '_' or '-'.");
        }
    }

    private static void ValidateWindow(int windowSeconds)
    {
        if (windowSeconds is < 1 or > MaxWindowSeconds)
        {
            throw new MeshFlowValidationException(
                $"Invalid window {windowSeconds} s: use 1 to {MaxWindowSeconds} seconds (24 hours).");
        }

        // Longer windows use minute buckets, so SlidingWindow accepts only whole minutes there.
        if (windowSeconds > MaxFineWindowSeconds && windowSeconds % CoarseBucketSeconds != 0)
        {
            throw new MeshFlowValidationException(
                $"Invalid window {windowSeconds} s: windows longer than {MaxFineWindowSeconds} seconds "
                + $"must be a multiple of {CoarseBucketSeconds} seconds.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
