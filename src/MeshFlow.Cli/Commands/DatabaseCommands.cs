using System.CommandLine;
using MeshFlow.Cli.Output;
using MeshFlow.Grains.Postgres;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// Builds <c>meshflow db migrate</c> and <c>meshflow db status</c>, which work on the PostgreSQL schema with the
/// scripts embedded in MeshFlow.Grains.Postgres, so they need no files beside the tool and no silo.
/// </summary>
internal static class DatabaseCommands
{
    public static Command Create(CliContext context)
    {
        var database = new Command("db", "Create, upgrade and inspect the MeshFlow schema in PostgreSQL");
        database.Add(CreateMigrate(context));
        database.Add(CreateStatus(context));
        return database;
    }

    private static Command CreateMigrate(CliContext context)
    {
        var migrate = new Command(
            "migrate",
            $"Apply the schema scripts the database lacks, up to version {SchemaMigrator.RequiredVersion}; "
            + "running it again applies nothing");
        context.SetAction(migrate, async (parseResult, cancellationToken) =>
        {
            var connectionString = context.Global.GetConnectionString(parseResult);

            MigrationReport report;
            try
            {
                report = await SchemaMigrator.MigrateAsync(connectionString, cancellationToken);
            }
            catch (PostgresConnectionException exception)
            {
                throw new CliException(exception.Message, ExitCodes.Failure, exception);
            }
            catch (SchemaMigrationException exception)
            {
                throw new CliException(exception.Message, ExitCodes.Failure, exception);
            }

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, report);
                return;
            }

            TextOutput.WriteMigration(context.Out, report);
        });
        return migrate;
    }

    private static Command CreateStatus(CliContext context)
    {
        var status = new Command(
            "status",
            "Show the database's schema version and whether this build's silos can use it; changes nothing");
        context.SetAction(status, async (parseResult, cancellationToken) =>
        {
            var connectionString = context.Global.GetConnectionString(parseResult);

            SchemaStatus schema;
            try
            {
                schema = await SchemaMigrator.GetStatusAsync(connectionString, cancellationToken);
            }
            catch (PostgresConnectionException exception)
            {
                throw new CliException(exception.Message, ExitCodes.Failure, exception);
            }

            if (context.Global.GetJson(parseResult))
            {
                JsonOutput.Write(context.Out, schema);
                return;
            }

            context.Out.WriteLine(schema.Message);
        });
        return status;
    }
}
