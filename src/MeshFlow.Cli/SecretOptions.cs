using System.CommandLine;
using System.Globalization;
using System.Text;
using MeshFlow.Grains;

namespace MeshFlow.Cli;

/// <summary>
/// The <c>--secret</c> and <c>--secret-file</c> pair: exactly one of them gives the HMAC secret.
/// </summary>
internal sealed class SecretOptions
{
    // A secret has at most 1024 characters, and a UTF-8 character takes at most 4 bytes, plus a line break.
    private const int MaxSecretFileBytes = (Validation.MaxSecretLength * 4) + 2;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Utf16LittleEndianByteOrderMark => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BigEndianByteOrderMark => [0xFE, 0xFF];

    private static ReadOnlySpan<byte> Utf32LittleEndianByteOrderMark => [0xFF, 0xFE, 0x00, 0x00];

    public SecretOptions(string purpose)
    {
        Secret = new Option<string>("--secret")
        {
            Description = $"HMAC-SHA256 secret {purpose}; visible in the process list, so prefer --secret-file",
            HelpName = "secret",
        };
        SecretFile = new Option<string>("--secret-file")
        {
            Description = $"UTF-8 text file whose content is the secret {purpose}; one trailing newline is ignored",
            HelpName = "path",
        };
    }

    public Option<string> Secret { get; }

    public Option<string> SecretFile { get; }

    public void AddTo(Command command)
    {
        command.Add(Secret);
        command.Add(SecretFile);
    }

    /// <summary>
    /// Returns the secret from whichever option was given, throwing <see cref="CliException"/> or
    /// <see cref="MeshFlowValidationException"/> when none or both were given, the file cannot be read, or the
    /// secret is invalid. Messages never contain the secret.
    /// </summary>
    public string Read(ParseResult parseResult)
    {
        var secret = ReadOptional(parseResult);
        Validation.Secret(secret);
        return secret!;
    }

    /// <summary>
    /// Returns the secret like <see cref="Read"/>, or <see langword="null"/> when neither option was given, for
    /// commands where the service generates a secret.
    /// </summary>
    public string? ReadOptional(ParseResult parseResult)
    {
        var secret = parseResult.GetValue(Secret);
        var path = parseResult.GetValue(SecretFile);
        if (secret is not null && path is not null)
        {
            throw new CliException("Give the webhook secret with either --secret or --secret-file, not both.");
        }

        if (path is not null)
        {
            secret = ReadFile(path);
        }

        if (secret is not null)
        {
            Validation.Secret(secret);
        }

        return secret;
    }

    private static string ReadFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException("Missing secret file path: give --secret-file PATH.");
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"Cannot read secret file '{path}': it is a directory. Give the path of a file.");
        }

        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxSecretFileBytes)
            {
                throw new CliException(
                    $"Invalid secret file '{path}': it has {length} bytes; a secret has at most "
                    + $"{Validation.MaxSecretLength} characters.");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"Cannot read secret file '{path}': it does not exist. Check the --secret-file path.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException(
                $"Cannot read secret file '{path}': permission denied. Make it readable by this user or use another path.");
        }
        catch (IOException exception)
        {
            throw new CliException($"Cannot read secret file '{path}': {exception.Message}");
        }

        var content = DecodeUtf8(path, bytes);

        if (content.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return content[..^2];
        }

        return content.EndsWith('\n') ? content[..^1] : content;
    }

    // File.ReadAllText follows a UTF-16 or UTF-32 byte order mark and decodes the file in that encoding without a
    // warning, so the registered secret would differ from the bytes that other tools read from the file. Only UTF-8
    // is accepted, with or without the UTF-8 byte order mark.
    private static string DecodeUtf8(string path, byte[] bytes)
    {
        ReadOnlySpan<byte> text = bytes;
        if (text.StartsWith(Utf8ByteOrderMark))
        {
            text = text[Utf8ByteOrderMark.Length..];
        }
        else if (text.StartsWith(Utf16LittleEndianByteOrderMark) || text.StartsWith(Utf16BigEndianByteOrderMark))
        {
            var isUtf32 = text.StartsWith(Utf32LittleEndianByteOrderMark);
            var mark = isUtf32 ? Utf32LittleEndianByteOrderMark : text[..2];
            var markBytes = string.Join(
                ' ',
                mark.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
            throw new CliException(
                $"Invalid secret file '{path}': it starts with the {(isUtf32 ? "UTF-32" : "UTF-16")} byte order mark "
                + $"{markBytes}; save it as UTF-8 text.");
        }

        try
        {
            return StrictUtf8.GetString(text);
        }
        catch (DecoderFallbackException)
        {
            throw new CliException($"Invalid secret file '{path}': it is not valid UTF-8; save it as UTF-8 text.");
        }
    }
}
