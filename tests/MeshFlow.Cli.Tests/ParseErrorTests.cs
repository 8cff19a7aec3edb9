using System.Text;
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
        {
            ["webhooks", "list", "--gateway", "http://127.0.0.1:30000"],
            "Invalid gateway 'http://127.0.0.1:30000': give host:port without the scheme 'http://', such as "
            + "127.0.0.1:30000."
        },
        { ["webhooks", "list", "--tenant", "bad tenant"], "Invalid tenant id 'bad tenant'" },
        { ["webhooks", "show", "nope"], "Invalid webhook id 'nope'" },
        { ["webhooks", "remove", "WH_0123"], "Invalid webhook id 'WH_0123'" },
        { ["webhooks", "enable", "wh_xyz"], "Invalid webhook id 'wh_xyz'" },
        { ["webhooks", "disable", "1"], "Invalid webhook id '1'" },
        { ["deliveries", "show", "nope"], "Invalid delivery id 'nope'" },
        { ["deliveries", "show", WebhookId], $"Invalid delivery id '{WebhookId}'" },
        {
            ["events", "publish", "bogus"],
            "Unknown event type 'bogus'. Valid types are: policy_violation, budget_exceeded, hitl_pending, "
            + "collusion_alert, sla_breach; an event has exactly one."
        },
        {
            ["events", "publish", "*"],
            "Unknown event type '*'. Valid types are: policy_violation, budget_exceeded, hitl_pending, "
            + "collusion_alert, sla_breach; an event has exactly one."
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

    public static TheoryData<byte[], string> UnreadableSecretFiles => new()
    {
        {
            [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("hmac-secret")],
            "it starts with the UTF-16 byte order mark FF FE"
        },
        {
            [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("hmac-secret")],
            "it starts with the UTF-16 byte order mark FE FF"
        },
        {
            [0xFF, 0xFE, 0x00, 0x00, .. Encoding.UTF32.GetBytes("hmac-secret")],
            "it starts with the UTF-32 byte order mark FF FE 00 00"
        },
        { [.. "hmac-"u8, 0xC3, 0x28, .. "secret"u8], "it is not valid UTF-8;" },
        { [.. "hmac-"u8, 0xE9, .. "secret"u8], "it is not valid UTF-8;" },
    };

    [Theory]
    [MemberData(nameof(UnreadableSecretFiles))]
    public async Task Run_SecretFileNotUtf8_NamesFile(byte[] content, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, content);

            var result = await CliRunner.RunAsync(
                "webhooks", "add", Url, "--secret-file", path, "--events", "policy_violation", "--gateway", Unused);

            CliAssert.OneLineError(result, 2, $"Invalid secret file '{path}': {expected}");
            Assert.EndsWith("save it as UTF-8 text.", result.Stderr.TrimEnd(), StringComparison.Ordinal);
            Assert.DoesNotContain("hmac-", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Run_TenantStartingWithAt_IsNotReadAsFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "tenant-from-file");

            var result = await CliRunner.RunAsync("webhooks", "list", "--tenant", $"@{path}", "--gateway", Unused);

            CliAssert.OneLineError(result, 2, $"Invalid tenant id '@{path}'");
            Assert.DoesNotContain("tenant-from-file", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Run_SecretStartingWithAt_PassesParsing()
    {
        var result = await CliRunner.RunAsync(
            "webhooks", "add", Url, "--secret", "@Pa55word!", "--events", "policy_violation", "--gateway", Unused);

        // The command gets as far as the gateway, which the closed port refuses.
        CliAssert.OneLineError(result, 1, $"Cannot reach the MeshFlow gateway at {Unused}");
        Assert.DoesNotContain("Pa55word", result.Stderr, StringComparison.Ordinal);
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
        Assert.Contains("receive signed webhooks locally", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(
            "Silo gateway as host:port without a scheme, such as 127.0.0.1:30000, or several separated by commas",
            result.Stdout,
            StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Help_WebhooksAdd_DescribesEachOption()
    {
        var result = await CliRunner.RunAsync("webhooks", "add", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(
            "Event types to deliver, separated by spaces or commas: policy_violation,",
            result.Stdout,
            StringComparison.Ordinal);
        Assert.Contains(
            "Text that 'webhooks list' and 'webhooks show' print for operators, at most 500 characters",
            result.Stdout,
            StringComparison.Ordinal);
        Assert.Contains(
            "UTF-8 text file whose content is the secret that signs every request",
            result.Stdout,
            StringComparison.Ordinal);
        Assert.Contains("HMAC-SHA256 secret that signs every request", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }
}
