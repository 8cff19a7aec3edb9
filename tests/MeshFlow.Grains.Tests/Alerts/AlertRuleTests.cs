using MeshFlow.Grains.Alerts;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class AlertRuleTests
{
    private static readonly AlertRule ValidRule =
        new("cost-high", "agent.cost_usd", 10.0, 60, "https://example.com/alerts");

    private static string GetValidationMessage(AlertRule rule)
    {
        var exception = Assert.Throws<MeshFlowValidationException>(() => AlertRule.Validate(rule));
        return exception.Message;
    }

    [Fact]
    public void Validate_ValidRule_DoesNotThrow()
    {
        AlertRule.Validate(ValidRule);
        AlertRule.Validate(ValidRule with { ForSeconds = 86_400, RepeatSeconds = 604_800, Event = EventTypes.SlaBreach });
    }

    [Fact]
    public void Defaults_Rule_SumGtAlertNoRepeat()
    {
        Assert.Equal(AlertAggregation.Sum, ValidRule.Aggregation);
        Assert.Equal(AlertComparison.Gt, ValidRule.Comparison);
        Assert.Equal(0, ValidRule.ForSeconds);
        Assert.Null(ValidRule.RepeatSeconds);
        Assert.Equal("alert", ValidRule.Event);
    }

    [Fact]
    public void Validate_NullRule_Throws()
    {
        Assert.Throws<MeshFlowValidationException>(() => AlertRule.Validate(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("colon:name")]
    [InlineData("x12345678901234567890123456789012345678901234567890123456789012345")]
    public void Validate_BadName_NamesValueAndSyntax(string name)
    {
        var message = GetValidationMessage(ValidRule with { Name = name });

        Assert.Contains($"'{name}'", message);
        Assert.Contains("1 to 64", message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Agent.Cost")]
    [InlineData("agent..cost")]
    [InlineData(".agent")]
    [InlineData("agent-cost")]
    public void Validate_BadMetric_NamesValueAndSyntax(string metric)
    {
        var message = GetValidationMessage(ValidRule with { Metric = metric });

        Assert.Contains($"'{metric}'", message);
        Assert.Contains("agent.cost_usd", message);
    }

    [Fact]
    public void Validate_MetricTooLong_Throws()
    {
        var message = GetValidationMessage(ValidRule with { Metric = new string('a', 129) });

        Assert.Contains("128", message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Validate_NonFiniteThreshold_NamesValue(double threshold, string shown)
    {
        var message = GetValidationMessage(ValidRule with { Threshold = threshold });

        Assert.Contains($"'{shown}'", message);
        Assert.Contains("finite", message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(86_401)]
    [InlineData(3_601)]
    public void Validate_BadWindow_NamesValue(int windowSeconds)
    {
        var message = GetValidationMessage(ValidRule with { WindowSeconds = windowSeconds });

        Assert.Contains($"{windowSeconds} s", message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3_600)]
    [InlineData(86_400)]
    public void Validate_WindowBounds_Accepted(int windowSeconds)
    {
        AlertRule.Validate(ValidRule with { WindowSeconds = windowSeconds });
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://example.com/x")]
    [InlineData("not a url")]
    public void Validate_BadWebhookUrl_Throws(string url)
    {
        var message = GetValidationMessage(ValidRule with { WebhookUrl = url });

        Assert.Contains("webhook URL", message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(86_401)]
    public void Validate_BadForSeconds_NamesValue(int forSeconds)
    {
        var message = GetValidationMessage(ValidRule with { ForSeconds = forSeconds });

        Assert.Contains($"{forSeconds} s", message);
        Assert.Contains("0 to 86400", message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(59)]
    [InlineData(604_801)]
    public void Validate_BadRepeatSeconds_NamesValue(int repeatSeconds)
    {
        var message = GetValidationMessage(ValidRule with { RepeatSeconds = repeatSeconds });

        Assert.Contains($"{repeatSeconds} s", message);
        Assert.Contains("60 to 604800", message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("Alert")]
    public void Validate_UnknownEvent_ListsValidTypes(string eventType)
    {
        var message = GetValidationMessage(ValidRule with { Event = eventType });

        Assert.Contains($"'{eventType}'", message);
        Assert.Contains(EventTypes.BudgetExceeded, message);
    }

    [Fact]
    public void Validate_UndefinedAggregation_Throws()
    {
        var message = GetValidationMessage(ValidRule with { Aggregation = (AlertAggregation)42 });

        Assert.Contains("aggregation", message);
    }

    [Fact]
    public void Validate_UndefinedComparison_Throws()
    {
        var message = GetValidationMessage(ValidRule with { Comparison = (AlertComparison)42 });

        Assert.Contains("comparison", message);
    }
}
