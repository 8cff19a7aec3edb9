using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using MeshFlow.Grains.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// <c>alerts</c> and <c>metrics</c> commands whose grain calls fail as they do right after a silo is killed. The
/// failures are injected in the client, in front of the shared test cluster.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AlertSiloFailureTests(MeshFlowCluster cluster)
{
    private const string SiloLost = "The silo handling this call stopped responding (ConnectionFailedException);";
    private const string ClosedUrl = "http://127.0.0.1:9/alerts";

    private readonly string tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task List_SiloLostOnce_RetriesOnce()
    {
        var registries = FailingRegistries(failures: 1);

        var result = await RunAsync(Alerts(registries), "alerts", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(result.Stdout).RootElement.GetArrayLength());
        Assert.Equal([$"{SiloLost} retrying once."], result.StderrLines);
        Assert.Equal(2, registries.Calls);
    }

    [Fact]
    public async Task Add_SiloLost_SuggestsReplace()
    {
        var registries = FailingRegistries(failures: 1);

        var result = await RunAsync(
            Alerts(registries),
            "alerts", "add", "r1", "--metric", "agent.cost_usd", "--threshold", "1", "--window", "60",
            "--webhook-url", ClosedUrl);

        CliAssert.OneLineError(
            result,
            1,
            $"{SiloLost} the rule may have been stored anyway, so run the command again with --replace.");
        Assert.Equal(1, registries.Calls);
    }

    [Fact]
    public async Task Evaluate_SiloLost_NeverRetries()
    {
        var registries = FailingRegistries(failures: 1);

        var result = await RunAsync(Alerts(registries), "alerts", "evaluate");

        CliAssert.OneLineError(
            result,
            1,
            $"{SiloLost} retry the command: the cluster moves the work to a live silo within about a minute.");
        Assert.Equal(1, registries.Calls);
    }

    [Fact]
    public async Task Record_SiloLost_WarnsOfDoubleCount()
    {
        var ingress = new FailingGrains<IMetricIngressGrain>(1, NewConnectionFailure);

        var result = await RunAsync(
            services => services.AddSingleton(
                provider => new MetricStore(ingress.Wrap(provider.GetRequiredService<IGrainFactory>()))),
            "metrics", "record", "agent.cost_usd", "1");

        CliAssert.OneLineError(
            result,
            1,
            $"{SiloLost} the sample may have been recorded anyway, and recording it again would count it twice.");
        Assert.Equal(1, ingress.Calls);
    }

    [Fact]
    public async Task Evaluate_UnexpectedError_PrintsOneLine()
    {
        var registries = new FailingGrains<IAlertRegistryGrain>(
            1,
            () => new InvalidOperationException("Evaluation broke."));

        var result = await RunAsync(Alerts(registries), "alerts", "evaluate");

        CliAssert.OneLineError(
            result,
            1,
            "The MeshFlow service call failed with an unexpected InvalidOperationException: Evaluation broke. "
            + "Check the silo log for details.");
    }

    private static ConnectionFailedException NewConnectionFailure() =>
        new("Unable to connect to endpoint S127.0.0.1:11111:0");

    private static FailingGrains<IAlertRegistryGrain> FailingRegistries(int failures) =>
        new(failures, NewConnectionFailure);

    private static Action<IServiceCollection> Alerts(FailingGrains<IAlertRegistryGrain> registries) =>
        services => services.AddSingleton(
            provider => new AlertEngine(registries.Wrap(provider.GetRequiredService<IGrainFactory>())));

    private Task<CliResult> RunAsync(Action<IServiceCollection> configureClient, params string[] args) =>
        CliRunner.RunAsync(
            [.. args, "--tenant", tenant, "--gateway", cluster.Gateway],
            (stdout, stderr, readVariable) => new CliContext(stdout, stderr, readVariable)
            {
                ConfigureClientServices = configureClient,
                ReadRetryDelay = TimeSpan.FromMilliseconds(10),
            });
}
