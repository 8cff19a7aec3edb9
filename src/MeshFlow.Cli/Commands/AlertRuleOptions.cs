using System.CommandLine;
using MeshFlow.Cli.Parsing;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// The arguments and options of <c>alerts add</c> that describe the rule, and the rule they build.
/// </summary>
internal sealed class AlertRuleOptions
{
    public Argument<string> Name { get; } = new("name")
    {
        Description = $"Rule name: 1 to {AlertRule.MaxNameLength} ASCII letters, digits, '.', '_' or '-'",
    };

    public Option<string> Metric { get; } = new("--metric")
    {
        Description = "Metric to watch: dot-separated lowercase segments, such as agent.cost_usd",
        HelpName = "name",
        Required = true,
    };

    public Option<string> Threshold { get; } = new("--threshold")
    {
        Description = "Finite number the aggregate is compared with, with '.' as the decimal separator",
        HelpName = "number",
        Required = true,
    };

    public Option<string> Window { get; } = new("--window")
    {
        Description = $"Sliding window length: {DurationParser.Syntax}; 1 s to 1 day, whole minutes above 1 hour",
        HelpName = "duration",
        Required = true,
    };

    public Option<string> WebhookUrl { get; } = new("--webhook-url")
    {
        Description = "Absolute http:// or https:// URL that receives the signed notifications",
        HelpName = "url",
        Required = true,
    };

    public Option<string> Aggregation { get; } = new("--aggregation")
    {
        Description = "How the window is reduced to one value: sum, avg, min, max, count, p50, p95 or p99 "
            + "[default: sum]",
        HelpName = "function",
    };

    public Option<string> Comparison { get; } = new("--comparison")
    {
        Description = "Fire when the aggregate is gt, gte, lt or lte the threshold [default: gt]",
        HelpName = "operator",
    };

    public Option<string> For { get; } = new("--for")
    {
        Description = "How long the condition must hold before the alert fires, 0 to 1 day; same syntax as --window "
            + "[default: 0, fire at once]",
        HelpName = "duration",
    };

    public Option<string> Repeat { get; } = new("--repeat")
    {
        Description = "Interval between repeat notifications while the alert fires, 1 minute to 7 days; same syntax "
            + "as --window [default: no repeats]",
        HelpName = "duration",
    };

    public Option<string> Event { get; } = new("--event")
    {
        Description = $"Event type of the notifications: {AlertRule.AlertEventType} or one of "
            + $"{string.Join(", ", EventTypes.All)} [default: {AlertRule.AlertEventType}]",
        HelpName = "type",
    };

    public void AddTo(Command command)
    {
        command.Add(Name);
        command.Add(Metric);
        command.Add(Threshold);
        command.Add(Window);
        command.Add(WebhookUrl);
        command.Add(Aggregation);
        command.Add(Comparison);
        command.Add(For);
        command.Add(Repeat);
        command.Add(Event);
    }

    /// <summary>
    /// Builds the rule from the command line and validates it with <see cref="AlertRule.Validate"/>, throwing
    /// <see cref="CliException"/> or <see cref="MeshFlowValidationException"/> for the first invalid value.
    /// </summary>
    public AlertRule Read(ParseResult parseResult)
    {
        var name = parseResult.GetValue(Name);
        AlertRule.ValidateName(name);

        var rule = new AlertRule(
            name!,
            parseResult.GetValue(Metric)!,
            NumberParser.ParseFinite(parseResult.GetValue(Threshold)!, "--threshold"),
            DurationParser.ParseSeconds(parseResult.GetValue(Window)!, "--window"),
            parseResult.GetValue(WebhookUrl)!,
            ParseOptional(parseResult, Aggregation, AlertAggregation.Sum, EnumNames.Parse<AlertAggregation>),
            ParseOptional(parseResult, Comparison, AlertComparison.Gt, EnumNames.Parse<AlertComparison>),
            ParseOptional(parseResult, For, 0, DurationParser.ParseSeconds),
            ParseOptional<int?>(parseResult, Repeat, null, (text, option) => DurationParser.ParseSeconds(text, option)),
            parseResult.GetValue(Event) ?? AlertRule.AlertEventType);
        AlertRule.Validate(rule);
        return rule;
    }

    private static T ParseOptional<T>(
        ParseResult parseResult,
        Option<string> option,
        T defaultValue,
        Func<string, string, T> parse) =>
        parseResult.GetValue(option) is { } text ? parse(text, option.Name) : defaultValue;
}
