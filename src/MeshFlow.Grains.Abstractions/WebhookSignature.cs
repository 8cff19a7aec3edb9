using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Grains;

/// <summary>
/// Signs and verifies webhook bodies: <c>sha256=</c> followed by the lowercase hex HMAC-SHA256 of the exact body
/// bytes, keyed with the secret's UTF-8 bytes.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The request header that carries the signature.</summary>
    public const string HeaderName = "X-MeshFlow-Signature";

    /// <summary>The prefix before the hex digest in the header value.</summary>
    public const string Prefix = "sha256=";

    /// <summary>Computes the lowercase hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string ComputeHex(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);

        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Computes the full header value, <c>sha256=&lt;hex&gt;</c>.</summary>
    public static string ComputeHeader(ReadOnlySpan<byte> body, string secret) => Prefix + ComputeHex(body, secret);

    /// <summary>
    /// Returns whether <paramref name="signature"/> matches <paramref name="body"/> signed with
    /// <paramref name="secret"/>. Accepts the header value with its <c>sha256=</c> prefix or the bare hex digest,
    /// and compares in constant time.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> body, string? signature, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);

        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var hex = signature.StartsWith(Prefix, StringComparison.Ordinal) ? signature[Prefix.Length..] : signature;
        var expected = Encoding.ASCII.GetBytes(ComputeHex(body, secret));
        var actual = Encoding.UTF8.GetBytes(hex);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
