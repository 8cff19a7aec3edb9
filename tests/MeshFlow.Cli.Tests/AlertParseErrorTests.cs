using MeshFlow.Cli.Tests.Infrastructure;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// Invalid <c>alerts</c> and <c>metrics</c> command lines and values, which fail before any gateway is contacted.
/// </summary>
public sealed class AlertParseErrorTests
{
    // The gateway is a closed port, so a test that wrongly gets past validation fails with a connection error.
    private const string Unused = "127.0.0.1:9";
    private const string Url = "https://example.com/alerts";

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["alerts"], "Required command was not provided" },
        { ["alerts", "frob"], "Run 'meshflow alerts --help' for usage" },
        { ["alerts", "add"], "Option '--metric' is required" },
        {
            ["alerts", "add", "--metric", "a.b", "--threshold", "1", "--window", "60", "--webhook-url", Url],
            "Required argument missing for command: 'add'"
        },
        {
            ["alerts", "add", "r1", "--threshold", "1", "--window", "60", "--webhook-url", Url],
            "Option '--metric' is required"
        },
        {
            ["alerts", "add", "r1", "--metric", "a.b", "--window", "60", "--webhook-url", Url],
            "Option '--threshold' is required"
        },
        {
            ["alerts", "add", "r1", "--metric", "a.b", "--threshold", "1", "--webhook-url", Url],
            "Option '--window' is required"
        },
        {
            ["alerts", "add", "r1", "--metric", "a.b", "--threshold", "1", "--window", "60"],
            "Option '--webhook-url' is required"
        },
        { ["alerts", "remove"], "Required argument missing for command: 'remove'" },
        { ["alerts", "evaluate", "a", "b"], "Unrecognized command or argument 'b'" },
        { ["alerts", "list", "extra"], "Unrecognized command or argument 'extra'" },
        { ["metrics", "record", "agent.cost_usd"], "Required argument missing for command: 'record'" },
        { ["metrics", "record", "agent.cost_usd", "1", "2"], "Unrecognized command or argument '2'" },
    };

    public static TheoryData<string[], string> InvalidRules => new()
    {
        { ["bad name"], "Invalid alert rule name 'bad name': use 1 to 64 ASCII letters, digits, '.', '_' or '-'." },
        { [new string('r', 65)], "Invalid alert rule name" },
        { ["--metric", "Agent.Cost"], "Invalid metric name 'Agent.Cost'" },
        { ["--threshold", "NaN"], "Invalid --threshold 'NaN': use a finite number" },
        { ["--threshold", "Infinity"], "Invalid --threshold 'Infinity': use a finite number" },
        { ["--threshold", "-Infinity"], "Invalid --threshold '-Infinity': use a finite number" },
        { ["--threshold", "∞"], "Invalid --threshold '∞': use a number with '.' as the decimal separator" },
        { ["--threshold", "1e999"], "Invalid --threshold '1e999': it is beyond the range of a double" },
        { ["--threshold", "1,5"], "Invalid --threshold '1,5': use a number with '.' as the decimal separator" },
        { ["--window", "0"], "Invalid window 0 s: use 1 to 86400 seconds (24 hours)." },
        { ["--window", "0m"], "Invalid window 0 s: use 1 to 86400 seconds (24 hours)." },
        { ["--window", "2d"], "Invalid window 172800 s: use 1 to 86400 seconds (24 hours)." },
        { ["--window", "3601"], "Invalid window 3601 s: windows longer than 3600 seconds must be a multiple of 60" },
        { ["--window", "-5"], "Invalid duration '-5' for --window: use whole seconds" },
        { ["--window", "5x"], "Invalid duration '5x' for --window: use whole seconds" },
        { ["--window", "9999999999"], "Invalid duration '9999999999' for --window: it is longer than 2147483647" },
        { ["--webhook-url", "ftp://example.com/x"], "Invalid webhook URL 'ftp://example.com/x'" },
        { ["--aggregation", "median"], "Invalid value 'median' for --aggregation: use one of sum, avg, min, max" },
        { ["--comparison", "ne"], "Invalid value 'ne' for --comparison: use one of gt, gte, lt, lte." },
        { ["--for", "2d"], "Invalid pending duration 172800 s: use 0 to 86400 seconds (0 fires at once)." },
        { ["--for", "-1"], "Invalid duration '-1' for --for: use whole seconds" },
        { ["--repeat", "30s"], "Invalid repeat interval 30 s: use 60 to 604800 seconds, or leave it unset" },
        { ["--repeat", "0"], "Invalid repeat interval 0 s: use 60 to 604800 seconds, or leave it unset" },
        { ["--repeat", "8d"], "Invalid repeat interval 691200 s" },
        { ["--repeat", "1y"], "Invalid duration '1y' for --repeat" },
        { ["--event", "nope"], "Invalid alert event type 'nope': use 'alert' or one of policy_violation" },
        { ["--event", "*"], "Invalid alert event type '*'" },
        { ["--secret", ""], "Missing webhook secret" },
        { ["--secret", "s", "--secret-file", "/tmp/x"], "either --secret or --secret-file, not both" },
        { ["--secret-file", "/nonexistent/secret"], "Cannot read secret file '/nonexistent/secret'" },
        { ["--tenant", "bad tenant"], "Invalid tenant id 'bad tenant'" },
    };

    public static TheoryData<string[], string> InvalidValues => new()
    {
        { ["alerts", "remove", "bad name"], "Invalid alert rule name 'bad name'" },
        { ["alerts", "evaluate", "bad/name"], "Invalid alert rule name 'bad/name'" },
        { ["alerts", "list", "--tenant", "-x"], "Invalid tenant id '-x'" },
        { ["metrics", "record", "Agent.Cost", "1"], "Invalid metric name 'Agent.Cost'" },
        { ["metrics", "record", "agent.cost_usd", "NaN"], "Invalid metric value 'NaN': use a finite number" },
        { ["metrics", "record", "agent.cost_usd", "-Infinity"], "Invalid metric value '-Infinity'" },
        { ["metrics", "record", "agent.cost_usd", "1e999"], "Invalid metric value '1e999': it is beyond the range" },
        { ["metrics", "record", "agent.cost_usd", "abc"], "Invalid metric value 'abc': use a number" },
        {
            ["metrics", "record", "agent.cost_usd", "1", "--at", "2026-12-04T18:00:00"],
            "Invalid time '2026-12-04T18:00:00' for --at: it has no time zone. Add Z to give it in UTC, such as "
            + "2026-12-04T18:00:00Z."
        },
        {
            ["metrics", "record", "agent.cost_usd", "1", "--at", "yesterday"],
            "Invalid time 'yesterday' for --at: use ISO 8601 in UTC, such as 2026-12-04T18:00:00Z."
        },
    };

    public static TheoryData<string[], string> RepeatedOptions => new()
    {
        {
            ["alerts", "add", "r1", "--metric", "a.b", "--threshold", "1", "--window", "60", "--webhook-url", Url, "--window"],
            "Option '--window' is given 2 times: give it once."
        },
        { ["alerts", "list", "--json", "--json"], "Option '--json' is given 2 times: give it once." },
        { ["metrics", "record", "a.b", "1", "--at", "2026-12-04T18:00:00Z", "--at"], "Option '--at' is given 2 times: give it once." },
    };

    [Theory]
    [MemberData(nameof(RepeatedOptions))]
    public async Task Run_RepeatedOption_PrintsOneLine(string[] args, string expected)
    {
        // The repeated option stays last: the check runs before any connection is made.
        var result = await CliRunner.RunAsync(args);

        CliAssert.OneLineError(result, 2, expected);
    }

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Run_UsageError_PrintsOneLine(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync([.. args, "--gateway", Unused]);

        CliAssert.OneLineError(result, 2, expected);
        Assert.Contains("--help' for usage.", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task AlertsAdd_InvalidValue_PrintsOneLine(string[] overrides, string expected)
    {
        var result = await CliRunner.RunAsync(AddArguments(overrides));

        CliAssert.OneLineError(result, 2, expected);
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Run_InvalidValue_PrintsOneLine(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync([.. args, "--gateway", Unused]);

        CliAssert.OneLineError(result, 2, expected);
    }

    [Fact]
    public async Task AlertsAdd_InvalidSecret_NeverPrintsIt()
    {
        var result = await CliRunner.RunAsync(AddArguments(["--secret", "line\nbreak-secret"]));

        CliAssert.OneLineError(result, 2, "Invalid webhook secret");
        Assert.DoesNotContain("break-secret", result.Stderr, StringComparison.Ordinal);
    }

    // A valid command line in which each option of overrides replaces the default one. A first override that does not
    // start with "--" replaces the rule name, and a secret option replaces the default secret.
    private static string[] AddArguments(string[] overrides)
    {
        var renamed = overrides.Length > 0 && !overrides[0].StartsWith("--", StringComparison.Ordinal);
        var options = new Dictionary<string, string>
        {
            ["--metric"] = "agent.cost_usd",
            ["--threshold"] = "1.0",
            ["--window"] = "60",
            ["--webhook-url"] = Url,
            ["--gateway"] = Unused,
        };
        if (!overrides.Contains("--secret") && !overrides.Contains("--secret-file"))
        {
            options["--secret"] = "hmac-secret-alerts";
        }

        for (var i = renamed ? 1 : 0; i < overrides.Length; i += 2)
        {
            options[overrides[i]] = overrides[i + 1];
        }

        var name = renamed ? overrides[0] : "r1";
        return ["alerts", "add", name, .. options.SelectMany(pair => new[] { pair.Key, pair.Value })];
    }
}
