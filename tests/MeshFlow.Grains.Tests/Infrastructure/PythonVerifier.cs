using System.Diagnostics;

namespace MeshFlow.Grains.Tests.Infrastructure;

/// <summary>
/// Runs the signature check that the product documentation gives receivers, in python3, as an implementation
/// independent of <see cref="WebhookSignature"/>.
/// </summary>
public static class PythonVerifier
{
    // Exit code 0 means the signature matches and 3 means it does not. python3 itself exits with 1 or 2 on errors.
    private const string Script = """
        import hashlib
        import hmac
        import sys


        def verify(payload: bytes, signature: str, secret: str) -> bool:
            expected = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, signature)


        sys.exit(0 if verify(sys.stdin.buffer.read(), sys.argv[1], sys.argv[2]) else 3)
        """;

    /// <summary>
    /// Returns whether python3 accepts <paramref name="signatureHex"/> (the hex digest without the
    /// <c>sha256=</c> prefix) for <paramref name="payload"/>, which it reads from standard input.
    /// </summary>
    public static async Task<bool> VerifyAsync(byte[] payload, string signatureHex, string secret)
    {
        var startInfo = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(Script);
        startInfo.ArgumentList.Add(signatureHex);
        startInfo.ArgumentList.Add(secret);

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("Failed to start python3.");
        await process.StandardInput.BaseStream.WriteAsync(payload);
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var errors = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode switch
        {
            0 => true,
            3 => false,
            _ => throw new InvalidOperationException($"python3 failed with exit code {process.ExitCode}: {errors}"),
        };
    }
}
