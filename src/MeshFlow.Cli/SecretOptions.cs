using System.CommandLine;
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

    public SecretOptions(string purpose)
    {
        Secret = new Option<string>("--secret")
        {
            Description = $"HMAC-SHA256 secret {purpose}; visible in the process list, so prefer --secret-file",
            HelpName = "secret",
        };
        SecretFile = new Option<string>("--secret-file")
        {
            Description = $"File whose content is the secret {purpose}; one trailing newline is ignored",
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

        Validation.Secret(secret);
        return secret!;
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

        string content;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxSecretFileBytes)
            {
                throw new CliException(
                    $"Invalid secret file '{path}': it has {length} bytes; a secret has at most "
                    + $"{Validation.MaxSecretLength} characters.");
            }

            content = File.ReadAllText(path, StrictUtf8);
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
        catch (DecoderFallbackException)
        {
            throw new CliException($"Cannot read secret file '{path}': it is not UTF-8 text.");
        }
        catch (IOException exception)
        {
            throw new CliException($"Cannot read secret file '{path}': {exception.Message}");
        }

        if (content.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return content[..^2];
        }

        return content.EndsWith('\n') ? content[..^1] : content;
    }
}
