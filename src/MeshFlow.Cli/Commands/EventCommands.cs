using System.CommandLine;
using MeshFlow.Cli.Output;
using MeshFlow.Grains;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// Builds <c>meshflow events publish</c>.
/// </summary>
internal static class EventCommands
{
    public static Command Create(CliContext context)
    {
        var events = new Command("events", "Publish governance events");
        events.Add(CreatePublish(context));
        return events;
    }

    private static Command CreatePublish(CliContext context)
    {
        var type = new Argument<string>("type")
        {
            Description = $"Event type, exactly one of: {string.Join(", ", EventTypes.All)}",
        };
        var runId = TextOption("--run-id", "Workflow run that raised the event", "id");
        var nodeId = TextOption("--node-id", "Workflow step that raised the event", "id");
        var reason = TextOption("--reason", "Why the event happened", "text");
        var ruleName = TextOption("--rule-name", "Rule that raised the event", "name");
        var eventId = TextOption(
            "--event-id",
            "Event id; publishing the same id again sends nothing new [default: a generated evt_ id]",
            "id");

        var publish = new Command("publish", "Publish an event to every enabled webhook that subscribes to its type")
        {
            type,
            runId,
            nodeId,
            reason,
            ruleName,
            eventId,
        };
        context.SetAction(publish, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var governanceEvent = new GovernanceEvent(
                parseResult.GetValue(type)!,
                parseResult.GetValue(eventId) ?? GrainKeys.NewEventId(),
                parseResult.GetValue(runId),
                parseResult.GetValue(nodeId),
                parseResult.GetValue(reason),
                parseResult.GetValue(ruleName));
            governanceEvent.Validate();

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            PublishResult result;
            try
            {
                result = await client.Events.PublishAsync(tenant, governanceEvent, cancellationToken);
            }
            catch (Exception exception) when (SiloFailure.FindCause(exception) is { } cause)
            {
                // Publishing the same event id again is safe, so the message hands the user the generated id.
                throw new CliException(
                    SiloFailure.Describe(
                        cause,
                        $"publish again with --event-id {governanceEvent.EventId}, which sends nothing new if this "
                        + "publish was accepted."),
                    ExitCodes.Failure,
                    exception);
            }

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, result);
                return;
            }

            TextOutput.WritePublished(context.Out, governanceEvent.EventType, result);
        });
        return publish;
    }

    private static Option<string> TextOption(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
    };
}
