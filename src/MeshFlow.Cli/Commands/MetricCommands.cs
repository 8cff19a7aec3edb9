using System.CommandLine;
using MeshFlow.Cli.Output;
using MeshFlow.Cli.Parsing;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// Builds <c>meshflow metrics record</c>.
/// </summary>
internal static class MetricCommands
{
    private static readonly string ClockSkew = $"{MetricSample.MaxClockSkew.TotalSeconds:0} s";
    private static readonly string LatenessHorizon = $"{MetricSample.LatenessHorizon.TotalSeconds:0} s";

    public static Command Create(CliContext context)
    {
        var metrics = new Command("metrics", "Record metric samples for the tenant's alert rules");
        metrics.Add(CreateRecord(context));
        return metrics;
    }

    private static Command CreateRecord(CliContext context)
    {
        var metric = new Argument<string>("metric")
        {
            Description = "Metric name: dot-separated lowercase segments, such as agent.cost_usd",
        };
        var value = new Argument<string>("value")
        {
            Description = "Finite number, with '.' as the decimal separator, such as 0.42",
        };
        var at = new Option<string>("--at")
        {
            Description = "When the sample was measured, in ISO 8601 UTC such as 2026-12-04T18:00:00Z "
                + "[default: the time the service receives it]",
            HelpName = "time",
        };

        var record = new Command("record", "Record one sample of a metric") { metric, value, at };
        context.SetAction(record, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var metricName = parseResult.GetValue(metric);
            Validation.MetricName(metricName);
            var sampleValue = NumberParser.ParseFinite(parseResult.GetValue(value)!, "metric value");
            DateTimeOffset? timestamp = parseResult.GetValue(at) is { } text
                ? UtcTimestampParser.Parse(text, "--at")
                : null;

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var result = await CliContext.ChangeOnceAsync(
                () => client.Metrics.RecordAsync(tenant, metricName!, sampleValue, timestamp, cancellationToken),
                "the sample may have been recorded anyway, and recording it again would count it twice.");

            var rejection = DescribeRejection(result, metricName!, timestamp);
            if (context.Global.GetJson(parseResult))
            {
                // Printed for a rejected sample too, so scripts always get a document to parse.
                JsonOutput.Write(context.Out, result);
            }
            else if (rejection is null)
            {
                AlertTextOutput.WriteRecorded(context.Out, tenant, metricName!, result);
            }

            if (rejection is not null)
            {
                throw new CliException(rejection, ExitCodes.Failure);
            }
        });
        return record;
    }

    private static string? DescribeRejection(MetricRecordResult result, string metric, DateTimeOffset? timestamp)
    {
        var time = timestamp is { } stamp ? $" {OutputFormat.Timestamp(stamp)}" : string.Empty;
        if (result.RejectedFuture > 0)
        {
            return $"Rejected the {metric} sample: its time{time} is more than {ClockSkew} ahead of the service clock. "
                + "Check --at and this machine's clock, or leave out --at to use the service's time.";
        }

        if (result.RejectedTooLate > 0)
        {
            return $"Rejected the {metric} sample: its time{time} is older than the longest alert window (1 day) "
                + $"plus the {LatenessHorizon} lateness horizon, so no rule could count it. Give a later --at time, "
                + "or leave out --at to use the service's time.";
        }

        return null;
    }
}
