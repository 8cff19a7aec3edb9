using System.CommandLine;
using MeshFlow.Cli.Output;
using MeshFlow.Grains;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// Builds <c>meshflow deliveries show</c>.
/// </summary>
internal static class DeliveryCommands
{
    public static Command Create(CliContext context)
    {
        var deliveries = new Command("deliveries", "Inspect deliveries");
        deliveries.Add(CreateShow(context));
        return deliveries;
    }

    private static Command CreateShow(CliContext context)
    {
        var id = new Argument<string>("delivery-id")
        {
            Description = "Delivery id, as printed by 'meshflow events publish'",
        };
        var show = new Command("show", "Show a delivery's status and every attempt so far") { id };
        context.SetAction(show, async (parseResult, cancellationToken) =>
        {
            var tenant = context.Global.GetTenant(parseResult);
            var gatewaySource = context.Global.GetGatewaySource(parseResult);
            var deliveryId = parseResult.GetValue(id);
            GrainKeys.ValidateDeliveryId(deliveryId);

            await using var client = await context.ConnectAsync(gatewaySource, cancellationToken);
            var delivery = await context.ReadWithRetryAsync(
                ct => client.Deliveries.GetAsync(tenant, deliveryId!, ct),
                cancellationToken);

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, delivery);
                return;
            }

            TextOutput.WriteDelivery(context.Out, delivery);
        });
        return show;
    }
}
