namespace MeshFlow.Silo.Tests;

public sealed class SiloHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Silo_StartsAndStopsOnInterrupt_LogsReadyAndStopped()
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        await using var silo = SiloProcess.Start(
            $"--MeshFlow:SiloPort={siloPort}",
            $"--MeshFlow:GatewayPort={gatewayPort}",
            "--MeshFlow:ClusterId=silo-host-test");

        await silo.WaitUntilReadyAsync(StartTimeout);
        silo.Interrupt();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Contains($"gateway 127.0.0.1:{gatewayPort}", silo.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"silo 127.0.0.1:{siloPort}", silo.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("MeshFlow silo stopped", silo.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", silo.StandardError);
    }

    [Theory]
    [InlineData("--MeshFlow:SiloPort=0", "MeshFlow:SiloPort", "1 to 65535")]
    [InlineData("--MeshFlow:GatewayPort=http", "MeshFlow:GatewayPort", "1 to 65535")]
    [InlineData("--MeshFlow:AdvertisedIP=localhost-ish", "MeshFlow:AdvertisedIP", "127.0.0.1")]
    [InlineData("--MeshFlow:ClusterId=bad id", "MeshFlow:ClusterId", "letters, digits")]
    [InlineData("--MeshFlow:Storage=Cassandra", "MeshFlow:Storage", "Memory or Postgres")]
    [InlineData("--MeshFlow:Storage=Postgres", "ConnectionStrings:MeshFlow", "Npgsql connection string")]
    [InlineData("--MeshFlow:Delivery:MaxRetries=500", "MeshFlow:Delivery:MaxRetries", "between 0 and 100")]
    [InlineData("--MeshFlow:Delivery:MaxRetries=three", "MeshFlow:Delivery:MaxRetries", "whole number")]
    [InlineData("--MeshFlow:Delivery:MaxRetries=3.5", "MeshFlow:Delivery:MaxRetries", "whole number from 0 to 100")]
    [InlineData("--MeshFlow:Delivery:MaxRetires=5", "MeshFlow:Delivery:MaxRetires", "MaxRetries")]
    [InlineData("--MeshFlow:GatwayPort=30001", "MeshFlow:GatwayPort", "GatewayPort")]
    [InlineData("--MeshFlow:Delivery:InitialBackoff=soon", "MeshFlow:Delivery:InitialBackoff", "00:00:05")]
    [InlineData("--MeshFlow:Delivery:AttemptTimeout=00:10:00", "MeshFlow:Delivery:AttemptTimeout", "between")]
    [InlineData("--MeshFlow:Delivery:BackoffMultiplier=0.5", "MeshFlow:Delivery:BackoffMultiplier", "between 1 and 100")]
    [InlineData("--MeshFlow:Delivery:MaxBackoff=00:00:01", "MeshFlow:Delivery:MaxBackoff", "at least")]
    [InlineData("--MeshFlow:Alerts:EvaluationInterval=often", "MeshFlow:Alerts:EvaluationInterval", "from 00:00:01 to 00:05:00")]
    [InlineData("--MeshFlow:Alerts:EvaluationInterval=00:10:00", "MeshFlow:Alerts:EvaluationInterval", "between 00:00:01 and 00:05:00")]
    [InlineData("--MeshFlow:Alerts:EvaluationInterval=00:00:00.500", "MeshFlow:Alerts:EvaluationInterval", "between 00:00:01")]
    [InlineData("--MeshFlow:Alerts:EvalutionInterval=00:00:05", "MeshFlow:Alerts:EvalutionInterval", "under MeshFlow:Alerts are EvaluationInterval")]
    [InlineData("--MeshFlow:Alerts:EvaluationInterval=2", "MeshFlow:Alerts:EvaluationInterval", "It is '2', read as 2.00:00:00.")]
    public async Task Silo_InvalidSetting_ExitsWithOneMessage(string argument, string key, string hint)
    {
        await using var silo = SiloProcess.Start(argument);

        var exitCode = await silo.WaitForExitAsync(StartTimeout);
        var errorLines = silo.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(errorLines);
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.Contains(hint, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", silo.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("MeshFlow silo ready", silo.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_ValidAlertSetting_Starts()
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        await using var silo = SiloProcess.Start(
            $"--MeshFlow:SiloPort={siloPort}",
            $"--MeshFlow:GatewayPort={gatewayPort}",
            "--MeshFlow:Alerts:EvaluationInterval=00:00:05");

        await silo.WaitUntilReadyAsync(StartTimeout);
        silo.Interrupt();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Equal("", silo.StandardError);
    }

    [Fact]
    public async Task Silo_PortInUse_ExitsWithMessageNamingThePort()
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        using var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, gatewayPort);
        blocker.Start();
        await using var silo = SiloProcess.Start($"--MeshFlow:SiloPort={siloPort}", $"--MeshFlow:GatewayPort={gatewayPort}");

        var exitCode = await silo.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains(gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), silo.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", silo.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_PostgresWithoutSchema_ExitsWithMigrateCommand()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(
            "--MeshFlow:Storage=Postgres",
            "--ConnectionStrings:MeshFlow=" + database.ConnectionString);

        var exitCode = await silo.WaitForExitAsync(StartTimeout);
        var line = Assert.Single(silo.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, exitCode);
        Assert.Contains("schema is missing", line, StringComparison.Ordinal);
        Assert.Contains("meshflow db migrate", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_PostgresUnreachable_ExitsWithoutPassword()
    {
        var closedPort = FreePort.Next();
        await using var silo = SiloProcess.Start(
            "--MeshFlow:Storage=Postgres",
            $"--ConnectionStrings:MeshFlow=Host=127.0.0.1;Port={closedPort};Username=meshflow;Password=hunter2");

        var exitCode = await silo.WaitForExitAsync(StartTimeout);
        var line = Assert.Single(silo.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(1, exitCode);
        Assert.Contains($"127.0.0.1:{closedPort}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_StrayArgument_ExitsWithOneMessage()
    {
        await using var silo = SiloProcess.Start("garbage");

        var exitCode = await silo.WaitForExitAsync(StartTimeout);
        var line = Assert.Single(silo.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, exitCode);
        Assert.Contains("'garbage'", line, StringComparison.Ordinal);
        Assert.Contains("--Key=value", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_SecondOnSamePorts_ExitsWithoutTakingCalls()
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        string[] arguments = [$"--MeshFlow:SiloPort={siloPort}", $"--MeshFlow:GatewayPort={gatewayPort}"];
        await using var first = SiloProcess.Start(arguments);
        await first.WaitUntilReadyAsync(StartTimeout);

        await using var second = SiloProcess.Start(arguments);
        var exitCode = await second.WaitForExitAsync(StartTimeout);
        var line = Assert.Single(second.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(1, exitCode);
        Assert.Contains($"127.0.0.1:{siloPort}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("MeshFlow silo ready", second.StandardOutput, StringComparison.Ordinal);
    }
}
