using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>
/// The real Orleans ADO.NET membership and reminder providers, built outside a silo with a service id and cluster
/// id of the test's own, so a test's rows never meet a running silo's.
/// </summary>
public static class StandaloneProviders
{
    public static AdoNetClusteringTable CreateMembershipTable(string connectionString, string clusterId)
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        return new AdoNetClusteringTable(
            services,
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "membership-tests" }),
            Options.Create(new AdoNetClusteringSiloOptions
            {
                Invariant = PostgresSiloBuilderExtensions.NpgsqlInvariant,
                ConnectionString = connectionString,
            }),
            NullLogger<AdoNetClusteringTable>.Instance);
    }

    public static AdoNetGatewayListProvider CreateGatewayListProvider(string connectionString, string clusterId)
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        return new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            services,
            Options.Create(new AdoNetClusteringClientOptions
            {
                Invariant = PostgresSiloBuilderExtensions.NpgsqlInvariant,
                ConnectionString = connectionString,
            }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "membership-tests" }));
    }

    /// <summary>Builds and starts the reminder table; dispose the returned provider to release it.</summary>
    public static async Task<(ServiceProvider Services, IReminderTable Table)> CreateReminderTableAsync(
        string connectionString,
        string serviceId)
    {
        var collection = new ServiceCollection().AddLogging();
        collection.Configure<ClusterOptions>(options =>
        {
            options.ServiceId = serviceId;
            options.ClusterId = "reminder-tests";
        });
        collection.UseAdoNetReminderService(options => options.Configure(reminderOptions =>
        {
            reminderOptions.Invariant = PostgresSiloBuilderExtensions.NpgsqlInvariant;
            reminderOptions.ConnectionString = connectionString;
        }));
        var services = collection.BuildServiceProvider();
        var table = services.GetRequiredService<IReminderTable>();
        await table.StartAsync(CancellationToken.None);
        return (services, table);
    }
}
