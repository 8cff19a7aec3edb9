using System.Globalization;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>
/// Silo processes that form one Orleans cluster on 127.0.0.1, with membership, grain state and reminders in one
/// PostgreSQL database. Each silo keeps its ports when it is restarted.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly string _logDirectory;
    private readonly IReadOnlyList<string> _sharedArguments;
    private readonly SiloPorts[] _ports;
    private readonly SiloProcess?[] _running;
    private readonly int[] _starts;
    private readonly List<SiloProcess> _all = [];

    private SiloCluster(string clusterId, string logDirectory, IReadOnlyList<string> sharedArguments, SiloPorts[] ports)
    {
        ClusterId = clusterId;
        _logDirectory = logDirectory;
        _sharedArguments = sharedArguments;
        _ports = ports;
        _running = new SiloProcess?[ports.Length];
        _starts = new int[ports.Length];
    }

    /// <summary>The Orleans cluster id that the silos and the client share.</summary>
    public string ClusterId { get; }

    /// <summary>The ports of every silo, by index.</summary>
    public IReadOnlyList<SiloPorts> Ports => _ports;

    /// <summary>
    /// Starts <paramref name="siloCount"/> silos in Postgres mode at once, on distinct free ports, and waits until
    /// each has joined the cluster.
    /// </summary>
    /// <param name="siloCount">How many silos to start.</param>
    /// <param name="clusterId">A cluster id that no other cluster in the database uses.</param>
    /// <param name="connectionString">A database migrated by <c>SchemaMigrator.MigrateAsync</c>.</param>
    /// <param name="settings">Further <c>--key=value</c> settings given to every silo.</param>
    /// <param name="logDirectory">The folder that receives each silo's output files.</param>
    /// <param name="startTimeout">How long each silo may take to log its ready line.</param>
    public static async Task<SiloCluster> StartAsync(
        int siloCount,
        string clusterId,
        string connectionString,
        IEnumerable<string> settings,
        string logDirectory,
        TimeSpan startTimeout)
    {
        var ports = FreePort.Allocate(siloCount * 2);
        var siloPorts = Enumerable.Range(0, siloCount)
            .Select(index => new SiloPorts(ports[2 * index], ports[(2 * index) + 1]))
            .ToArray();
        string[] sharedArguments =
        [
            "--MeshFlow:Storage=Postgres",
            "--ConnectionStrings:MeshFlow=" + connectionString,
            "--MeshFlow:AdvertisedIP=127.0.0.1",
            "--MeshFlow:ClusterId=" + clusterId,
            .. settings,
        ];

        var cluster = new SiloCluster(clusterId, logDirectory, sharedArguments, siloPorts);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, siloCount).Select(index => cluster.StartSiloAsync(index, startTimeout)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends SIGKILL to silo <paramref name="index"/> and waits until its process is gone.</summary>
    public async Task KillAsync(int index)
    {
        var silo = _running[index] ?? throw new InvalidOperationException($"Silo {index} is not running.");
        _running[index] = null;
        await silo.KillAsync();
    }

    /// <summary>Starts silo <paramref name="index"/> again on the same ports and waits until it has joined.</summary>
    public Task RestartAsync(int index, TimeSpan startTimeout)
    {
        if (_running[index] is not null)
        {
            throw new InvalidOperationException($"Silo {index} is still running; kill it before restarting it.");
        }

        return StartSiloAsync(index, startTimeout);
    }

    /// <summary>Kills every silo that still runs and closes all output files.</summary>
    public async ValueTask DisposeAsync()
    {
        SiloProcess[] all;
        lock (_all)
        {
            all = [.. _all];
        }

        foreach (var silo in all)
        {
            await silo.DisposeAsync();
        }
    }

    private async Task StartSiloAsync(int index, TimeSpan startTimeout)
    {
        var start = Interlocked.Increment(ref _starts[index]);
        var ports = _ports[index];
        string[] arguments =
        [
            .. _sharedArguments,
            "--MeshFlow:SiloPort=" + ports.Silo.ToString(CultureInfo.InvariantCulture),
            "--MeshFlow:GatewayPort=" + ports.Gateway.ToString(CultureInfo.InvariantCulture),
        ];

        var silo = SiloProcess.Start($"silo{index}-start{start}", _logDirectory, arguments);
        lock (_all)
        {
            _all.Add(silo);
        }

        _running[index] = silo;
        await silo.WaitUntilReadyAsync(startTimeout);
    }
}
