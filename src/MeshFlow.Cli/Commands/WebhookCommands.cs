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
            verb: null));
        webhooks.Add(CreateByIdCommand(
            context,
            "remove",
            "Remove a webhook; deliveries already accepted still finish",
            (client, tenant, id, ct) => client.Webhooks.RemoveAsync(tenant, id, ct),
            verb: "Removed"));
        webhooks.Add(CreateByIdCommand(
            context,
            "enable",
            "Enable a webhook so new events reach it",
            (client, tenant, id, ct) => client.Webhooks.EnableAsync(tenant, id, ct),
            verb: "Enabled"));
        webhooks.Add(CreateByIdCommand(
            context,
            "disable",
            "Disable a webhook so new events skip it",
            (client, tenant, id, ct) => client.Webhooks.DisableAsync(tenant, id, ct),
            verb: "Disabled"));
        return webhooks;
    }

    private static Command CreateAdd(CliContext context)
    {
        var url = new Argument<string>("url") { Description = "Absolute http:// or https:// URL that receives signed POSTs" };
        var secret = new SecretOptions("that signs every request");
        var events = new Option<string[]>("--events")
        {
            Description = $"Event types to deliver: {string.Join(", ", EventTypes.All)}, or '*' for all",
            HelpName = "type",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var description = new Option<string>("--description")
        {
            Description = $"Text for operators, at most {Validation.MaxDescriptionLength} characters",
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
            var webhook = await client.Webhooks.RegisterAsync(tenant, registration, cancellationToken);

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
            var webhooks = await client.Webhooks.ListAsync(tenant, cancellationToken);

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
        string? verb)
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
            var webhook = await call(client, tenant, webhookId!, cancellationToken);

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
