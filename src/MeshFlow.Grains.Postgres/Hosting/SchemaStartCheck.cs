using MeshFlow.Grains.Postgres;

namespace MeshFlow.Grains.Hosting;

/// <summary>
/// Stops a silo from starting on a database without the required schema. Without this check the Orleans
/// providers fail later with "Not all required queries found", which does not say how to fix it.
/// </summary>
internal sealed class SchemaStartCheck(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaStartCheck), ServiceLifecycleStage.First, CheckAsync);

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var status = await SchemaMigrator.GetStatusAsync(connectionString, cancellationToken).ConfigureAwait(false);
        if (!status.IsReady)
        {
            throw new SchemaMigrationException(status.Message);
        }
    }
}
