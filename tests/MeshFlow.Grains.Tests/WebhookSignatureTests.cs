using System.Text;

namespace MeshFlow.Grains.Tests;

/// <summary>
/// Checks signing against digests computed with Python's hmac module, as
/// <c>hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()</c>, when these tests were written.
/// </summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "hmac-secret";

    // The payload example of the product documentation, on one line with no whitespace between tokens.
    private static readonly string DocumentedPayloadText = """
        {"event":"policy_violation",
        "run_id":"run-abc123",
        "node_id":"classify-step",
        "tenant_id":"acme",
        "timestamp":"2026-05-30T14:23:01Z",
        "reason":"Free tier cost cap exceeded",
        "rule_name":"block-free-tier-expensive-calls"}
        """.ReplaceLineEndings("");

    private const string DocumentedPayloadDigest = "e79444d98e9cfcd34fe2e3b7525169ba4cafd8d0f8f136db8c06b6a8bececea0";

    private const string MultiByteText = """{"reason":"预算超限 🚨 コスト"}""";

    // The UTF-8 bytes of MultiByteText as Python encodes them.
    private const string MultiByteUtf8Hex =
        "7b22726561736f6e223a22e9a284e7ae97e8b685e9999020f09f9aa820e382b3e382b9e38388227d";

    private const string MultiByteDigest = "48a46a2934742c487e11f3a38a84722cb0a204d34aab5b6f020e433e509de7f0";

    private const string NonAsciiSecret = "clé-秘密-🔑";

    private const string NonAsciiSecretDigest = "f5a4fc88681d842259de9d98fe0dbb3981463a2e0fd4b75af4106d43236647e9";

    private const string EmptyBodyDigest = "4dbd2292025f21bd07ca900059e19286df5ad14c05c4f00f19a2959f2d1ac56b";

    private static byte[] DocumentedPayload => Encoding.UTF8.GetBytes(DocumentedPayloadText);

    [Fact]
    public void ComputeHex_DocumentedPayload_MatchesPython()
    {
        var hex = WebhookSignature.ComputeHex(DocumentedPayload, Secret);

        Assert.Equal(DocumentedPayloadDigest, hex);
    }

    [Fact]
    public void ComputeHeader_DocumentedPayload_PrefixesDigest()
    {
        var header = WebhookSignature.ComputeHeader(DocumentedPayload, Secret);

        Assert.Equal("sha256=" + DocumentedPayloadDigest, header);
    }

    [Fact]
    public void ComputeHex_EmojiAndCjkBody_MatchesPython()
    {
        var body = Encoding.UTF8.GetBytes(MultiByteText);

        var hex = WebhookSignature.ComputeHex(body, Secret);

        Assert.Equal(MultiByteUtf8Hex, Convert.ToHexStringLower(body));
        Assert.Equal(MultiByteDigest, hex);
    }

    [Fact]
    public void ComputeHex_NonAsciiSecret_MatchesPython()
    {
        var hex = WebhookSignature.ComputeHex(DocumentedPayload, NonAsciiSecret);

        Assert.Equal(NonAsciiSecretDigest, hex);
    }

    [Fact]
    public void ComputeHex_EmptyBody_MatchesPython()
    {
        var hex = WebhookSignature.ComputeHex([], Secret);

        Assert.Equal(EmptyBodyDigest, hex);
    }

    [Fact]
    public void ComputeHex_EmptyOrNullSecret_Throws()
    {
        Assert.Throws<ArgumentException>(() => WebhookSignature.ComputeHex(DocumentedPayload, ""));
        Assert.Throws<ArgumentNullException>(() => WebhookSignature.ComputeHex(DocumentedPayload, null!));
    }

    [Fact]
    public void Verify_HeaderWithPrefix_Accepts()
    {
        var valid = WebhookSignature.Verify(DocumentedPayload, "sha256=" + DocumentedPayloadDigest, Secret);

        Assert.True(valid);
    }

    [Fact]
    public void Verify_BareHexDigest_Accepts()
    {
        var valid = WebhookSignature.Verify(DocumentedPayload, DocumentedPayloadDigest, Secret);

        Assert.True(valid);
    }

    [Fact]
    public void Verify_NonAsciiSecret_Accepts()
    {
        var valid = WebhookSignature.Verify(DocumentedPayload, "sha256=" + NonAsciiSecretDigest, NonAsciiSecret);

        Assert.True(valid);
    }

    [Fact]
    public void Verify_MultiByteBody_Accepts()
    {
        var valid = WebhookSignature.Verify(Encoding.UTF8.GetBytes(MultiByteText), MultiByteDigest, Secret);

        Assert.True(valid);
    }

    [Fact]
    public void Verify_WrongSecret_Rejects()
    {
        var valid = WebhookSignature.Verify(DocumentedPayload, "sha256=" + DocumentedPayloadDigest, "other-secret");

        Assert.False(valid);
    }

    [Fact]
    public void Verify_TamperedBody_Rejects()
    {
        var tampered = DocumentedPayload;
        tampered[^3] ^= 0x01;

        var valid = WebhookSignature.Verify(tampered, "sha256=" + DocumentedPayloadDigest, Secret);

        Assert.False(valid);
    }

    [Fact]
    public void Verify_UppercaseHex_Rejects()
    {
        // The documented Python verifier compares against hexdigest(), which is lowercase, so it rejects this too.
        var valid = WebhookSignature.Verify(
            DocumentedPayload,
            "sha256=" + DocumentedPayloadDigest.ToUpperInvariant(),
            Secret);

        Assert.False(valid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256")]
    [InlineData("SHA256=" + DocumentedPayloadDigest)]
    [InlineData("sha256=" + DocumentedPayloadDigest + "00")]
    [InlineData("sha256=e79444d98e9cfcd34fe2e3b7525169ba")]
    public void Verify_MalformedSignature_Rejects(string? signature)
    {
        var valid = WebhookSignature.Verify(DocumentedPayload, signature, Secret);

        Assert.False(valid);
    }
}
