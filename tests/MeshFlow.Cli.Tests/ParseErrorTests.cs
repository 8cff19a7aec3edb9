using MeshFlow.Cli.Tests.Infrastructure;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// Invalid command lines and values, which fail before any gateway is contacted.
/// </summary>
public sealed class ParseErrorTests
{
    // The gateway is a closed port, so a test that wrongly gets past validation fails with a connection error.
    private const string Unused = "127.0.0.1:9";
    private const string Url = "https://example.com/meshflow-events";
    private const string WebhookId = "wh_0123456789abcdef01234567";

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { [], "Required command was not provided" },
        { ["frob"], "Unrecognized command or argument 'frob'" },
        { ["webhooks", "frob"], "Run 'meshflow webhooks --help' for usage" },
        { ["webhooks", "add"], "Required argument missing for command: 'add'" },
        { ["webhooks", "add", Url, "--secret", "s", "--events"], "'--events'" },
        { ["webhooks", "list", "extra"], "Unrecognized command or argument 'extra'" },
    };

    public static TheoryData<string[], string> InvalidValues => new()
    {
        {
            ["webhooks", "add", Url, "--secret", "s", "--events", "nope"],
            "Unknown event type 'nope'. Valid types are: policy_violation, budget_exceeded, hitl_pending"
        },
        { ["webhooks", "add", Url, "--secret", "s", "--events", "policy_violation,nope"], "'nope'" },
        { ["webhooks", "add", Url, "--secret", "s"], "Missing event types" },
        { ["webhooks", "add", Url, "--events", "policy_violation"], "Missing webhook secret" },
        { ["webhooks", "add", Url, "--secret", "", "--events", "policy_violation"], "Missing webhook secret" },
        {
            ["webhooks", "add", Url, "--secret", "s", "--secret-file", "/tmp/x", "--events", "policy_violation"],
            "either --secret or --secret-file, not both"
        },
        {
            ["webhooks", "add", Url, "--secret-file", "/nonexistent/secret", "--events", "policy_violation"],
            "Cannot read secret file '/nonexistent/secret': it does not exist"
        },
        { ["webhooks", "add", "ftp://example.com/x", "--secret", "s", "--events", "policy_violation"], "Invalid webhook URL 'ftp://example.com/x'" },
        { ["webhooks", "add", Url, "--secret", "s", "--events", "policy_violation", "--description", new string('d', 501)], "Invalid description" },
        { ["webhooks", "list", "--gateway", "abc"], "Invalid gateway 'abc': expected host:port" },
        { ["webhooks", "list", "--gateway", "127.0.0.1:70000"], "the port must be a number from 1 to 65535" },
        { ["webhooks", "list", "--gateway", "::1:30000"], "put an IPv6 address in brackets" },
        { ["webhooks", "list", "--tenant", "bad tenant"], "Invalid tenant id 'bad tenant'" },
        { ["webhooks", "show", "nope"], "Invalid webhook id 'nope'" },
        { ["webhooks", "remove", "WH_0123"], "Invalid webhook id 'WH_0123'" },
        { ["webhooks", "enable", "wh_xyz"], "Invalid webhook id 'wh_xyz'" },
        { ["webhooks", "disable", "1"], "Invalid webhook id '1'" },
        { ["deliveries", "show", "nope"], "Invalid delivery id 'nope'" },
        { ["deliveries", "show", WebhookId], $"Invalid delivery id '{WebhookId}'" },
        {
            ["events", "publish", "bogus"],
            "Unknown event type 'bogus'. Valid types are: policy_violation, budget_exceeded, hitl_pending"
        },
        { ["events", "publish", "policy_violation", "--event-id", "has space"], "Invalid event id 'has space'" },
        { ["listen", "--secret", "s", "--port", "abc"], "Invalid port 'abc'" },
        { ["listen", "--secret", "s", "--port", "0"], "Invalid port '0'" },
        { ["listen", "--secret", "s", "--port", "65536"], "Invalid port '65536'" },
        { ["listen"], "Missing webhook secret" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Run_UsageError_PrintsOneLine(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync(args);

        CliAssert.OneLineError(result, 2, expected);
        Assert.Contains("--help' for usage.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Run_InvalidValue_PrintsOneLine(string[] args, string expected)
    {
        string[] withGateway = args.Contains("--gateway") ? args : [.. args, "--gateway", Unused];

        var result = await CliRunner.RunAsync(withGateway);

        CliAssert.OneLineError(result, 2, expected);
    }

    [Fact]
    public async Task Run_InvalidGatewayFirst_ReportsGateway()
    {
        var result = await CliRunner.RunAsync("webhooks", "list", "--gateway", "127.0.0.1:1,nohost:");

        CliAssert.OneLineError(result, 2, "Invalid gateway 'nohost:'");
        Assert.Contains("Set --gateway or MESHFLOW_GATEWAY.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SecretFileIsDirectory_ReportsDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("meshflow-cli-").FullName;
        try
        {
            var result = await CliRunner.RunAsync(
                "webhooks", "add", Url, "--secret-file", directory, "--events", "policy_violation", "--gateway", Unused);

            CliAssert.OneLineError(result, 2, "it is a directory");
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public async Task Run_EmptySecretFile_ReportsMissingSecret()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "\n");

            var result = await CliRunner.RunAsync(
                "webhooks", "add", Url, "--secret-file", path, "--events", "policy_violation", "--gateway", Unused);

            CliAssert.OneLineError(result, 2, "Missing webhook secret");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Run_SecretWithControlCharacter_HidesSecret()
    {
        var result = await CliRunner.RunAsync(
            "webhooks", "add", Url, "--secret", "hunter2\u0001", "--events", "policy_violation", "--gateway", Unused);

        CliAssert.OneLineError(result, 2, "Invalid webhook secret");
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_RootCommand_ListsCommandsOnStdout()
    {
        var result = await CliRunner.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("webhooks", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("listen", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }
}
