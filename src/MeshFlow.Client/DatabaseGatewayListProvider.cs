using System.Data.Common;
using Orleans.Messaging;
using Orleans.Runtime.Membership;

namespace MeshFlow.Client;

/// <summary>
/// Reads the live gateways of the configured cluster from PostgreSQL through the Orleans ADO.NET provider, and
/// records what the last read returned or why it failed, so that a failed connect can report which step failed.
/// </summary>
internal sealed class DatabaseGatewayListProvider : IGatewayListProvider
{
    private readonly AdoNetGatewayListProvider inner;
    private volatile IReadOnlyList<string>? lastGateways;
    private volatile DbException? lastError;

    public DatabaseGatewayListProvider(AdoNetGatewayListProvider inner)
    {
        this.inner = inner;
    }

    /// <summary>The gateways, as <c>host:port</c>, from the last successful read, or null before one.</summary>
    public IReadOnlyList<string>? LastGateways => lastGateways;

    /// <summary>The database error of the last failed read, or null when the last read succeeded.</summary>
    public DbException? LastError => lastError;

    public TimeSpan MaxStaleness => inner.MaxStaleness;

    public bool IsUpdatable => inner.IsUpdatable;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    public async Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.InitializeGatewayListProviderAsync(cancellationToken);
        }
        catch (DbException exception)
        {
            lastError = exception;
            throw;
        }
    }

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken)
    {
        IList<Uri> gateways;
        try
        {
            gateways = await inner.GetGatewaysAsync(cancellationToken);
        }
        catch (DbException exception)
        {
            lastError = exception;
            throw;
        }

        lastError = null;
        lastGateways = [.. gateways.Select(uri => $"{uri.Host}:{uri.Port}")];
        return gateways;
    }
}
