using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using MeshFlow.Cli.Commands;

namespace MeshFlow.Cli;

/// <summary>
/// The <c>meshflow</c> command line: parsing, dispatch and error reporting.
/// </summary>
/// <remarks>
/// Exit codes: 0 on success, and 1 when a webhook, delivery or alert rule is not found, a metric sample is rejected,
/// the gateway or the database is unreachable, or a service call or migration fails. 2 is for an invalid command
/// line or value, including a connection string, and 130 for an interruption with Ctrl+C, except for
/// <c>listen</c>, which Ctrl+C stops normally with 0. Every error is one line on standard error, without a stack
/// trace or help text, and never contains a password or webhook secret.
/// </remarks>
public static class CliApp
{
    // Response files are turned off. Otherwise System.CommandLine 2.0 replaces each argument that starts with '@' by
    // the content of the file it names, so "--secret @Pa55word!" fails to parse and "--secret @/etc/hostname"
    // registers that file's content as the secret.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    /// <summary>
    /// Runs one <c>meshflow</c> command line, writing results to <paramref name="stdout"/> and errors to
    /// <paramref name="stderr"/>, and returns the exit code.
    /// </summary>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken) =>
        RunAsync(args, new CliContext(stdout, stderr), cancellationToken);

    internal static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);

        var parseResult = Parse(CreateRootCommand(context), args);
        if (parseResult.Action is ParseErrorAction)
        {
            context.WriteError(DescribeParseError(parseResult));
            return ExitCodes.Usage;
        }

        if (FindRepeatedOption(parseResult) is { } repeated)
        {
            context.WriteError(
                $"Option '{repeated.Option.Name}' is given {repeated.IdentifierTokenCount} times: give it once.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>Parses <paramref name="args"/> as typed, with response files turned off.</summary>
    internal static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) => root.Parse(args, Parser);

    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "Manage MeshFlow webhooks, publish governance events, inspect deliveries, manage metric alert rules, "
            + "receive signed webhooks locally and migrate the PostgreSQL schema.");
        context.Global.AddTo(root);
        root.Add(WebhookCommands.Create(context));
        root.Add(EventCommands.Create(context));
        root.Add(DeliveryCommands.Create(context));
        root.Add(AlertCommands.Create(context));
        root.Add(MetricCommands.Create(context));
        root.Add(ListenCommand.Create(context));
        root.Add(DatabaseCommands.Create(context));
        return root;
    }

    // System.CommandLine accepts a single-value option twice when one of the two has no value, such as a trailing
    // "--window", and then silently uses the other value. Such a command line is rejected instead.
    private static OptionResult? FindRepeatedOption(ParseResult parseResult)
    {
        for (var command = parseResult.CommandResult; command is not null; command = command.Parent as CommandResult)
        {
            foreach (var option in command.Children.OfType<OptionResult>())
            {
                if (option.IdentifierTokenCount > 1 && option.Option.Arity.MaximumNumberOfValues <= 1)
                {
                    return option;
                }
            }
        }

        return null;
    }

    // Reports one error, followed by where to find the usage, instead of the library's help dump. An error that
    // names an unrecognized token goes first, because "meshflow frob" also lacks a command and the token is the
    // more useful thing to report.
    private static string DescribeParseError(ParseResult parseResult)
    {
        // An unquoted connection string with spaces splits into several tokens, and the parser's message would
        // quote the one that contains the password.
        if (parseResult.UnmatchedTokens.Any(ContainsPassword))
        {
            return "Unrecognized argument that contains a password: put the whole connection string in quotes, "
                + "such as --connection \"Host=db;Username=meshflow;Password=...\", or set "
                + $"{GlobalOptions.ConnectionVariable} instead.";
        }

        var error = parseResult.Errors.FirstOrDefault(e => parseResult.UnmatchedTokens.Any(
                token => e.Message.Contains($"'{token}'", StringComparison.Ordinal)))
            ?? parseResult.Errors[0];
        var message = error.Message.TrimEnd();
        if (!message.EndsWith('.'))
        {
            message += ".";
        }

        return $"{message} Run '{GetCommandPath(parseResult.CommandResult)} --help' for usage.";
    }

    private static bool ContainsPassword(string token) =>
        token.Contains("password", StringComparison.OrdinalIgnoreCase)
        || token.Contains("pwd=", StringComparison.OrdinalIgnoreCase);

    private static string GetCommandPath(CommandResult commandResult)
    {
        var names = new List<string>();
        for (SymbolResult? result = commandResult; result is not null; result = result.Parent)
        {
            if (result is CommandResult command)
            {
                names.Add(command.Parent is null ? "meshflow" : command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
