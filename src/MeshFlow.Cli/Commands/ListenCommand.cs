using System.CommandLine;
using System.Globalization;
using MeshFlow.Cli.Listening;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// Builds <c>meshflow listen</c>, a local receiver that verifies and prints signed webhook requests.
/// </summary>
internal static class ListenCommand
{
    public const int DefaultPort = 8080;

    public static Command Create(CliContext context)
    {
        var port = new Option<string>("--port")
        {
            Description = $"TCP port on 127.0.0.1 to listen on, 1 to 65535 [default: {DefaultPort}]",
            HelpName = "port",
        };
        var secret = new SecretOptions("that the requests are signed with");

        var listen = new Command(
            "listen",
            "Receive webhooks on 127.0.0.1, verify X-MeshFlow-Signature and print each event; Ctrl+C stops it with "
            + "exit code 0")
        {
            port,
        };
        secret.AddTo(listen);
        context.SetAction(listen, async (parseResult, cancellationToken) =>
        {
            var portNumber = ParsePort(parseResult.GetValue(port));
            var webhookSecret = secret.Read(parseResult);
            var receiver = new WebhookReceiver(context, webhookSecret, context.Global.GetJson(parseResult));
            await receiver.RunAsync(portNumber, cancellationToken);
        });
        return listen;
    }

    private static int ParsePort(string? text)
    {
        if (text is null)
        {
            return DefaultPort;
        }

        if (!text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new CliException($"Invalid port '{text}': use a number from 1 to 65535, such as --port {DefaultPort}.");
        }

        return port;
    }
}
