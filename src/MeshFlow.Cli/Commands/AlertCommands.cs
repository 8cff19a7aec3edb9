using System.CommandLine;
using MeshFlow.Cli.Output;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// Builds <c>meshflow alerts</c> and its subcommands: add, list, remove and evaluate.
/// </summary>
internal static class AlertCommands
{
    public static Command Create(CliContext context)
    {
        var alerts = new Command("alerts", "Add and manage the tenant's threshold alert rules over metrics");
        alerts.Add(CreateAdd(context));
        alerts.Add(CreateList(context));
        alerts.Add(CreateRemove(context));
        alerts.Add(CreateEvaluate(context));
        return alerts;
    }

    private static Command CreateAdd(CliContext context)
    {
        var ruleOptions = new AlertRuleOptions();
        var secret = new SecretOptions(
            "that signs the notifications (generated and printed once when neither option is set)");
        var replace = new Option<bool>("--replace") { Description = "Replace a rule of the same name" };

        var add = new Command("add", "Add an alert rule that watches one metric over a sliding window");
        ruleOptions.AddTo(add);
        add.Add(replace);
        secret.AddTo(add);
        context.SetAction(add, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var rule = ruleOptions.Read(parseResult);
            var ruleSecret = secret.ReadOptional(parseResult);
            var replaceRule = parseResult.GetValue(replace);

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var added = await CliContext.ChangeOnceAsync(
                () => client.Alerts.AddRuleAsync(tenant, rule, ruleSecret, replaceRule, cancellationToken),
                "the rule may have been stored anyway, so run the command again with --replace.");

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, tenant, added);
                return;
            }

            AlertTextOutput.WriteAdded(context.Out, tenant, added);
        });
        return add;
    }

    private static Command CreateList(CliContext context)
    {
        var list = new Command("list", "List the tenant's alert rules by name; secrets are never shown");
        context.SetAction(list, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var rules = await context.ReadWithRetryAsync(
                ct => client.Alerts.ListRulesAsync(tenant, ct),
                cancellationToken);

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, tenant, rules);
                return;
            }

            AlertTextOutput.WriteRuleTable(context.Out, tenant, rules);
        });
        return list;
    }

    private static Command CreateRemove(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Rule name, as printed by 'meshflow alerts list'" };
        var remove = new Command("remove", "Remove an alert rule; it sends no further notifications") { name };
        context.SetAction(remove, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var ruleName = parseResult.GetValue(name);
            AlertRule.ValidateName(ruleName);

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var removed = await CliContext.ChangeOnceAsync(
                () => client.Alerts.RemoveRuleAsync(tenant, ruleName!, cancellationToken),
                "the rule may have been removed anyway, so check 'meshflow alerts list'.");

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, tenant, removed);
                return;
            }

            AlertTextOutput.WriteRemoved(context.Out, tenant, removed);
        });
        return remove;
    }

    private static Command CreateEvaluate(CliContext context)
    {
        var name = new Argument<string?>("name")
        {
            Description = "Rule name [default: every rule of the tenant]",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var evaluate = new Command(
            "evaluate",
            "Evaluate alert rules now, send the notifications that are due and print each rule's state")
        {
            name,
        };
        context.SetAction(evaluate, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var ruleName = parseResult.GetValue(name);
            if (ruleName is not null)
            {
                AlertRule.ValidateName(ruleName);
            }

            // Not repeated after a lost silo like the read commands, because an evaluation may send notifications.
            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var evaluations = await client.Alerts.EvaluateAsync(tenant, ruleName, cancellationToken);

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, evaluations);
                return;
            }

            AlertTextOutput.WriteEvaluations(context.Out, tenant, evaluations);
        });
        return evaluate;
    }
}
