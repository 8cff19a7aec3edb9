using System.Globalization;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The wording of alert values: the one-line descriptions shown by evaluation and the <c>reason</c> of notifications.
/// </summary>
public static class AlertText
{
    /// <summary>Returns the lowercase name of an aggregation, as written in payloads and on the command line.</summary>
    public static string Name(AlertAggregation aggregation) => aggregation.ToString().ToLowerInvariant();

    /// <summary>Returns the lowercase name of a comparison, as written on the command line.</summary>
    public static string Name(AlertComparison comparison) => comparison.ToString().ToLowerInvariant();

    /// <summary>Returns the operator of a comparison: &gt;, &gt;=, &lt; or &lt;=.</summary>
    public static string Operator(AlertComparison comparison) => comparison switch
    {
        AlertComparison.Gt => ">",
        AlertComparison.Gte => ">=",
        AlertComparison.Lt => "<",
        AlertComparison.Lte => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "Unknown alert comparison."),
    };

    /// <summary>
    /// Formats a number with the invariant culture in its shortest round-trip form, keeping a decimal point on whole
    /// numbers so that 1 reads as 1.0.
    /// </summary>
    public static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal)
            ? text + ".0"
            : text;
    }

    /// <summary>Describes the rule's condition without its metric, such as "sum over 60 s &gt; 1.0".</summary>
    public static string Condition(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return $"{Window(rule)} {Operator(rule.Comparison)} {Number(rule.Threshold)}";
    }

    /// <summary>
    /// Describes the rule's current value, such as "agent.cost_usd sum over 60 s = 1.25 &gt; 1.0",
    /// "agent.cost_usd sum over 60 s = 0.5, not &gt; 1.0" or "agent.cost_usd sum over 60 s: no samples".
    /// </summary>
    public static string Describe(AlertRule rule, double? value)
    {
        ArgumentNullException.ThrowIfNull(rule);

        var subject = $"{rule.Metric} {Window(rule)}";
        if (value is not { } aggregate)
        {
            return subject + ": no samples";
        }

        var condition = $"{Operator(rule.Comparison)} {Number(rule.Threshold)}";
        return rule.Comparison.IsMet(aggregate, rule.Threshold)
            ? $"{subject} = {Number(aggregate)} {condition}"
            : $"{subject} = {Number(aggregate)}, not {condition}";
    }

    private static string Window(AlertRule rule) =>
        string.Create(CultureInfo.InvariantCulture, $"{Name(rule.Aggregation)} over {rule.WindowSeconds} s");
}
