namespace MeshFlow.Grains.Tests;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("ACME")]
    [InlineData("0abc")]
    [InlineData("123")]
    [InlineData("tenant.eu-west_1")]
    [InlineData("a")]
    public void TenantId_Valid_Accepted(string tenantId)
    {
        Validation.TenantId(tenantId);
    }

    [Fact]
    public void TenantId_MaxLength_Accepted()
    {
        Validation.TenantId(new string('t', Validation.MaxTenantIdLength));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("-acme")]
    [InlineData(".acme")]
    [InlineData("acmé")]
    [InlineData("ac\nme")]
    public void TenantId_Invalid_Rejected(string? tenantId)
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.TenantId(tenantId));

        Assert.StartsWith("Invalid tenant id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TenantId_TrailingNewline_Rejected()
    {
        // A regex ending in '$' also matches before a final '\n', so this case needs the end-of-input anchor.
        Assert.Throws<MeshFlowValidationException>(() => Validation.TenantId("acme\n"));
    }

    [Fact]
    public void TenantId_TooLong_Rejected()
    {
        var tenantId = new string('t', Validation.MaxTenantIdLength + 1);

        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.TenantId(tenantId));

        Assert.Contains("1 to 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evt_0123")]
    [InlineData("order:42.retry-1")]
    [InlineData("0")]
    public void EventId_Valid_Accepted(string eventId)
    {
        Validation.EventId(eventId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("evt/1")]
    [InlineData("evt 1")]
    [InlineData("évt")]
    public void EventId_Invalid_Rejected(string? eventId)
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.EventId(eventId));

        Assert.StartsWith("Invalid event id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EventId_TrailingNewline_Rejected()
    {
        Assert.Throws<MeshFlowValidationException>(() => Validation.EventId("evt-1\n"));
    }

    [Fact]
    public void EventId_LengthLimit_Enforced()
    {
        Validation.EventId(new string('e', Validation.MaxEventIdLength));

        Assert.Throws<MeshFlowValidationException>(
            () => Validation.EventId(new string('e', Validation.MaxEventIdLength + 1)));
    }

    [Theory]
    [InlineData("https://example.com/meshflow-events")]
    [InlineData("http://127.0.0.1:8080/hooks?tenant=acme")]
    public void WebhookUrl_AbsoluteHttp_ReturnsUri(string url)
    {
        var uri = Validation.WebhookUrl(url);

        Assert.Equal(new Uri(url), uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/meshflow-events")]
    [InlineData("meshflow-events")]
    [InlineData("example.com/meshflow-events")]
    [InlineData("ftp://example.com/meshflow-events")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://")]
    [InlineData("http:///meshflow-events")]
    public void WebhookUrl_NotAbsoluteHttp_Rejected(string? url)
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.WebhookUrl(url));

        Assert.StartsWith("Invalid webhook URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookUrl_UserInfo_RejectedWithoutEchoingPassword()
    {
        var error = Assert.Throws<MeshFlowValidationException>(
            () => Validation.WebhookUrl("https://alice:pa55word@example.com/meshflow-events"));

        Assert.Contains("user name and password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookUrl_LengthLimit_Enforced()
    {
        const string prefix = "https://example.com/";
        var longest = prefix + new string('p', Validation.MaxUrlLength - prefix.Length);

        Validation.WebhookUrl(longest);

        Assert.Throws<MeshFlowValidationException>(() => Validation.WebhookUrl(longest + "p"));
    }

    [Theory]
    [InlineData("hmac-secret")]
    [InlineData("clé-秘密-🔑")]
    [InlineData("with spaces inside")]
    public void Secret_Valid_Accepted(string secret)
    {
        Validation.Secret(secret);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t \t")]
    public void Secret_MissingOrBlank_Rejected(string? secret)
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.Secret(secret));

        Assert.StartsWith("Missing webhook secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3cret-value\n")]
    [InlineData("s3cret\r\nvalue")]
    [InlineData("s3cret\u0000value")]
    [InlineData("s3cret\u007fvalue")]
    public void Secret_ControlCharacters_RejectedWithoutEchoingSecret(string secret)
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.Secret(secret));

        Assert.StartsWith("Invalid webhook secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_LengthLimit_EnforcedWithoutEchoingSecret()
    {
        Validation.Secret(new string('k', Validation.MaxSecretLength));

        var tooLong = "s3cret" + new string('k', Validation.MaxSecretLength);
        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.Secret(tooLong));

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubscribedEvents_UnknownType_ListsValidTypes()
    {
        var error = Assert.Throws<MeshFlowValidationException>(
            () => Validation.SubscribedEvents(["policy_violation", "policy-violation"]));

        Assert.Contains("'policy-violation'", error.Message, StringComparison.Ordinal);
        foreach (var eventType in EventTypes.All)
        {
            Assert.Contains(eventType, error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("'*'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubscribedEvents_Wildcard_Accepted()
    {
        var events = Validation.SubscribedEvents(["*"]);

        Assert.Equal(["*"], events);
    }

    [Fact]
    public void SubscribedEvents_Duplicates_CollapsedInOrder()
    {
        var events = Validation.SubscribedEvents(
            ["hitl_pending", "policy_violation", "hitl_pending", "policy_violation"]);

        Assert.Equal(["hitl_pending", "policy_violation"], events);
    }

    [Fact]
    public void SubscribedEvents_WildcardWithOthers_KeepsWildcardOnly()
    {
        var events = Validation.SubscribedEvents(["hitl_pending", "*", "policy_violation"]);

        Assert.Equal(["*"], events);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0/hooks")]
    [InlineData("http://127.0.0.1/ho oks")]
    [InlineData("http://127.0.0.1/hooks\n")]
    public void WebhookUrl_PortZeroOrWhitespace_Rejected(string url)
    {
        Assert.Throws<MeshFlowValidationException>(() => Validation.WebhookUrl(url));
    }

    [Fact]
    public void WebhookUrl_RejectedWithPassword_HidesPassword()
    {
        var error = Assert.Throws<MeshFlowValidationException>(
            () => Validation.WebhookUrl("ftp://user:hunter2@127.0.0.1/a"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("ftp://***@127.0.0.1/a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookUrl_VeryLong_MessageAbbreviated()
    {
        var url = "ftp://example.com/" + new string('a', 5000);

        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.WebhookUrl(url));

        Assert.True(error.Message.Length < 400, $"message has {error.Message.Length} characters");
    }

    [Fact]
    public void SubscribedEvents_EveryKnownType_Accepted()
    {
        var events = Validation.SubscribedEvents(EventTypes.All);

        Assert.Equal(EventTypes.All, events);
    }

    [Fact]
    public void SubscribedEvents_Empty_Rejected()
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => Validation.SubscribedEvents([]));

        Assert.StartsWith("Missing event types", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubscribedEvents_Null_Rejected()
    {
        Assert.Throws<MeshFlowValidationException>(() => Validation.SubscribedEvents(null));
    }

    [Fact]
    public void SubscribedEvents_WrongCase_Rejected()
    {
        Assert.Throws<MeshFlowValidationException>(() => Validation.SubscribedEvents(["POLICY_VIOLATION"]));
    }

    [Fact]
    public void OptionalText_OverLimit_RejectedWithLength()
    {
        var error = Assert.Throws<MeshFlowValidationException>(
            () => Validation.OptionalText(new string('r', 11), "reason", 10));

        Assert.Equal("Invalid reason: it has 11 characters; shorten it to at most 10.", error.Message);
    }

    [Fact]
    public void OptionalText_NullOrAtLimit_Accepted()
    {
        Validation.OptionalText(null, "reason", 10);
        Validation.OptionalText(new string('r', 10), "reason", 10);
    }

    [Fact]
    public void OptionalText_UnpairedSurrogate_Rejected()
    {
        var error = Assert.Throws<MeshFlowValidationException>(
            () => Validation.OptionalText("cap \uD83D hit", "reason", 100));

        Assert.Contains("unpaired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalText_SurrogatePair_Accepted()
    {
        Validation.OptionalText("cap \uD83D\uDEA8 hit", "reason", 100);
    }
}
