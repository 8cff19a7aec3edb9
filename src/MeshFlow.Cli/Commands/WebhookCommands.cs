using System.CommandLine;
using MeshFlow.Cli.Output;
using MeshFlow.Client;
using MeshFlow.Grains;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// Builds <c>meshflow webhooks</c> and its subcommands: add, list, show, remove, enable and disable.
/// </summary>
internal static class WebhookCommands
{
    public static Command Create(CliContext context)
    {
        var webhooks = new Command("webhooks", "Register and manage the tenant's webhooks");
        webhooks.Add(CreateAdd(context));
        webhooks.Add(CreateList(context));
        webhooks.Add(CreateByIdCommand(
            context,
            "show",
            "Show one webhook",
            (client, tenant, id, ct) => client.Webhooks.GetAsync(tenant, id, ct),
            verb: null,
            isRead: true));
        webhooks.Add(CreateByIdCommand(
            context,
            "remove",
            "Remove a webhook; deliveries already accepted still finish",
            (client, tenant, id, ct) => client.Webhooks.RemoveAsync(tenant, id, ct),
            verb: "Removed",
            isRead: false));
        webhooks.Add(CreateByIdCommand(
            context,
            "enable",
            "Enable a webhook so new events reach it",
            (client, tenant, id, ct) => client.Webhooks.EnableAsync(tenant, id, ct),
            verb: "Enabled",
            isRead: false));
        webhooks.Add(CreateByIdCommand(
            context,
            "disable",
            "Disable a webhook so new events skip it",
            (client, tenant, id, ct) => client.Webhooks.DisableAsync(tenant, id, ct),
            verb: "Disabled",
            isRead: false));
        return webhooks;
    }

    private static Command CreateAdd(CliContext context)
    {
        var url = new Argument<string>("url") { Description = "Absolute http:// or https:// URL that receives signed POSTs" };
        var secret = new SecretOptions("that signs every request");
        var events = new Option<string[]>("--events")
        {
            Description = "Event types to deliver, separated by spaces or commas: "
                + $"{string.Join(", ", EventTypes.All)}, or '*' for all",
            HelpName = "type",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var description = new Option<string>("--description")
        {
            Description = "Text that 'webhooks list' and 'webhooks show' print for operators, at most "
                + $"{Validation.MaxDescriptionLength} characters",
            HelpName = "text",
        };

        var add = new Command("add", "Register a webhook for the tenant") { url, events, description };
        secret.AddTo(add);
        context.SetAction(add, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var webhookUrl = parseResult.GetValue(url);
            Validation.WebhookUrl(webhookUrl);
            var eventTypes = Validation.SubscribedEvents(SplitEventTypes(parseResult.GetValue(events)));
            var webhookSecret = secret.Read(parseResult);
            var text = parseResult.GetValue(description);
            Validation.OptionalText(text, "description", Validation.MaxDescriptionLength);
            var registration = new WebhookRegistration(webhookUrl!, webhookSecret, eventTypes, text);

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            Webhook webhook;
            try
            {
                webhook = await client.Webhooks.RegisterAsync(tenant, registration, cancellationToken);
            }
            catch (Exception exception) when (SiloFailure.FindCause(exception) is { } cause)
            {
                // Never repeated automatically: the registration may have been stored before the silo was lost, and
                // a second one would add a duplicate webhook with a new id.
                throw new CliException(
                    SiloFailure.Describe(
                        cause,
                        "the webhook may have been registered anyway, so check 'meshflow webhooks list' before adding "
                        + "it again."),
                    ExitCodes.Failure,
                    exception);
            }

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, webhook);
                return;
            }

            context.Out.WriteLine(
                $"Added webhook {webhook.Id} for {string.Join(", ", webhook.Events)} -> {webhook.Url} "
                + $"(tenant {webhook.TenantId}).");
        });
        return add;
    }

    private static Command CreateList(CliContext context)
    {
        var list = new Command("list", "List the tenant's webhooks, oldest first; secrets are never shown");
        context.SetAction(list, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var webhooks = await context.ReadWithRetryAsync(
                ct => client.Webhooks.ListAsync(tenant, ct),
                cancellationToken);

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, webhooks);
                return;
            }

            TextOutput.WriteWebhookTable(context.Out, tenant, webhooks);
        });
        return list;
    }

    private static Command CreateByIdCommand(
        CliContext context,
        string name,
        string description,
        Func<MeshFlowClientHost, string, string, CancellationToken, Task<Webhook>> call,
        string? verb,
        bool isRead)
    {
        var id = new Argument<string>("id") { Description = "Webhook id, as printed by 'meshflow webhooks list'" };
        var command = new Command(name, description) { id };
        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var webhookId = parseResult.GetValue(id);
            GrainKeys.ValidateWebhookId(webhookId);

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var webhook = isRead
                ? await context.ReadWithRetryAsync(ct => call(client, tenant, webhookId!, ct), cancellationToken)
                : await call(client, tenant, webhookId!, cancellationToken);

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, webhook);
            }
            else if (verb is null)
            {
                TextOutput.WriteWebhook(context.Out, webhook);
            }
            else
            {
                context.Out.WriteLine($"{verb} webhook {webhook.Id} ({webhook.Url}).");
            }
        });
        return command;
    }

    // Accepts both "--events a b" and "--events a,b".
    private static string[] SplitEventTypes(string[]? values) =>
        [.. (values ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
