using System.Reflection;
using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using MeshFlow.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// Commands whose grain calls fail as they do right after a silo of a multi-silo cluster is killed. The failures are
/// injected in the client, in front of the shared test cluster, so each test decides how many calls fail.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloFailureTests(MeshFlowCluster cluster)
{
    private const string Url = "https://example.com/silo-failure-events";
    private const string Secret = "hmac-secret-7a2e";
    private const string SiloLost = "The silo handling this call stopped responding (ConnectionFailedException);";
    private const string InnerDetail = "Unable to connect to endpoint S127.0.0.1:11111:0";

    private readonly string tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task List_SiloLostOnce_RetriesOnce()
    {
        var tenantGrains = FailingTenantGrains(failures: 1);

        var result = await RunAsync(Webhooks(tenantGrains), "webhooks", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"No webhooks for tenant '{tenant}'. Add one with 'meshflow webhooks add'.", result.Stdout.Trim());
        var notice = Assert.Single(result.StderrLines);
        Assert.Equal($"{SiloLost} retrying once.", notice);
        Assert.Equal(2, tenantGrains.Calls);
    }

    [Fact]
    public async Task Show_SiloLostTwice_PrintsShortError()
    {
        var id = await AddAsync();
        var tenantGrains = FailingTenantGrains(failures: 2);

        var result = await RunAsync(Webhooks(tenantGrains), "webhooks", "show", id);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal(
            [
                $"{SiloLost} retrying once.",
                $"{SiloLost} retry the command: the cluster moves the work to a live silo within about a minute.",
            ],
            result.StderrLines);
        Assert.DoesNotContain(InnerDetail, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, tenantGrains.Calls);
    }

    [Fact]
    public async Task Show_SiloLostOnce_PrintsWebhook()
    {
        var id = await AddAsync();
        var tenantGrains = FailingTenantGrains(failures: 1);

        var result = await RunAsync(Webhooks(tenantGrains), "webhooks", "show", id, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(id, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("id").GetString());
        Assert.Equal(2, tenantGrains.Calls);
    }

    [Fact]
    public async Task Add_SiloLost_NeverRetries()
    {
        var tenantGrains = FailingTenantGrains(failures: 1);

        var result = await RunAsync(
            Webhooks(tenantGrains),
            "webhooks", "add", Url, "--secret", Secret, "--events", "policy_violation");

        CliAssert.OneLineError(
            result,
            1,
            $"{SiloLost} the webhook may have been registered anyway, so check 'meshflow webhooks list' before "
            + "adding it again.");
        Assert.Equal(1, tenantGrains.Calls);
        var listed = await CliRunner.RunAsync(
            "webhooks", "list", "--json", "--tenant", tenant, "--gateway", cluster.Gateway);
        Assert.Equal(0, JsonDocument.Parse(listed.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Disable_SiloLost_NeverRetries()
    {
        var id = await AddAsync();
        var tenantGrains = FailingTenantGrains(failures: 1);

        var result = await RunAsync(Webhooks(tenantGrains), "webhooks", "disable", id);

        CliAssert.OneLineError(
            result,
            1,
            $"{SiloLost} retry the command: the cluster moves the work to a live silo within about a minute.");
        Assert.Equal(1, tenantGrains.Calls);
    }

    [Fact]
    public async Task Publish_SiloLost_SuggestsSameEventId()
    {
        var eventGrains = new FailingGrains<IEventGrain>(1, NewConnectionFailure);

        var result = await RunAsync(
            services => services.AddSingleton(
                provider => new EventPublisher(eventGrains.Wrap(provider.GetRequiredService<IGrainFactory>()))),
            "events", "publish", "sla_breach", "--event-id", "evt-silo-lost");

        CliAssert.OneLineError(
            result,
            1,
            $"{SiloLost} publish again with --event-id evt-silo-lost, which sends nothing new if this publish was "
            + "accepted.");
        Assert.Equal(1, eventGrains.Calls);
    }

    [Fact]
    public async Task DeliveriesShow_SiloUnavailable_RetriesOnce()
    {
        var deliveryId = GrainKeys.NewDeliveryId();
        var deliveryGrains = new FailingGrains<IDeliveryGrain>(
            1,
            () => new SiloUnavailableException("The target silo became unavailable for message: Request ..."));

        var result = await RunAsync(
            services => services.AddSingleton(
                provider => new DeliveryTracker(deliveryGrains.Wrap(provider.GetRequiredService<IGrainFactory>()))),
            "deliveries", "show", deliveryId);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, result.StderrLines.Count);
        Assert.Equal(
            "The silo handling this call stopped responding (SiloUnavailableException); retrying once.",
            result.StderrLines[0]);
        Assert.Contains(deliveryId, result.StderrLines[1], StringComparison.Ordinal);
        Assert.Equal(2, deliveryGrains.Calls);
    }

    [Fact]
    public async Task List_MessageRejected_SaysRejected()
    {
        var tenantGrains = new FailingGrains<ITenantGrain>(
            2,
            () => NewRejection("Forwarding failed: tried to forward message ...", innerException: null));

        var result = await RunAsync(Webhooks(tenantGrains), "webhooks", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "The cluster rejected this call (OrleansMessageRejectionException); retry the command: the cluster moves "
            + "the work to a live silo within about a minute.",
            result.StderrLines[^1]);
    }

    [Fact]
    public void FindCause_WrappedConnectionFailure_ReturnsInnermost()
    {
        var connectionFailure = NewConnectionFailure();
        var rejection = NewRejection("rejected", connectionFailure);

        var cause = SiloFailure.FindCause(new OrleansException("call failed", rejection));

        Assert.Same(connectionFailure, cause);
    }

    [Fact]
    public void FindCause_OtherOrleansError_ReturnsNull()
    {
        var cause = SiloFailure.FindCause(new OrleansException("call failed", new InvalidOperationException()));

        Assert.Null(cause);
    }

    private static ConnectionFailedException NewConnectionFailure() =>
        new($"{InnerDetail}\n   at Orleans.Runtime.Messaging.ConnectionManager.ConnectAsync(SiloAddress address)");

    // Orleans 10.4.2 constructs this exception only inside its runtime: its constructors are not public.
    private static OrleansMessageRejectionException NewRejection(string message, Exception? innerException)
    {
        object?[] arguments = innerException is null ? [message] : [message, innerException];
        return (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException),
            BindingFlags.Instance | BindingFlags.NonPublic,
            binder: null,
            arguments,
            culture: null)!;
    }

    private static FailingGrains<ITenantGrain> FailingTenantGrains(int failures) =>
        new(failures, NewConnectionFailure);

    private static Action<IServiceCollection> Webhooks(FailingGrains<ITenantGrain> tenantGrains) =>
        services => services.AddSingleton(
            provider => new WebhookManager(tenantGrains.Wrap(provider.GetRequiredService<IGrainFactory>())));

    private Task<CliResult> RunAsync(Action<IServiceCollection> configureClient, params string[] args) =>
        CliRunner.RunAsync(
            [.. args, "--tenant", tenant, "--gateway", cluster.Gateway],
            (stdout, stderr, readVariable) => new CliContext(stdout, stderr, readVariable)
            {
                ConfigureClientServices = configureClient,
                ReadRetryDelay = TimeSpan.FromMilliseconds(10),
            });

    private async Task<string> AddAsync()
    {
        var result = await CliRunner.RunAsync(
            "webhooks", "add", Url, "--secret", Secret, "--events", "policy_violation", "--json",
            "--tenant", tenant, "--gateway", cluster.Gateway);
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("id").GetString()!;
    }
}
