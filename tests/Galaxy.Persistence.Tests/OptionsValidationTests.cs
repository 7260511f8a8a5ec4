using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Galaxy.Persistence.Tests;

public sealed class OptionsValidationTests
{
    public static TheoryData<string> Settings =>
        ["ConnectionString", "MaxBatchRows", "MaxBatchBytes", "MaxLinger", "MaxInFlightBatches", "MaxQueuedWrites", "OutageBackoff"];

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task A_host_with_an_invalid_setting_does_not_start_and_names_it(string setting)
    {
        using var host = BuildHost(options => Break(options, setting));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_without_a_connection_string_does_not_start_and_says_it_is_required()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddGroupCommitGrainStorage("galaxy", _ => { });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("The ConnectionString field is required.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_connection_string_is_refused_with_what_is_wrong_with_it()
    {
        using var host = BuildHost(options => options.ConnectionString = "Hots=127.0.0.1");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Invalid PostgreSQL connection string: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_with_the_default_limits_starts()
    {
        using var host = BuildHost(_ => { });

        await host.StartAsync();
        await host.StopAsync();
    }

    private static IHost BuildHost(Action<GroupCommitStorageOptions> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddGroupCommitGrainStorage("galaxy", options =>
        {
            options.ConnectionString = "Host=127.0.0.1;Database=galaxy";
            configure(options);
        });
        return builder.Build();
    }

    private static void Break(GroupCommitStorageOptions options, string setting)
    {
        switch (setting)
        {
            case "ConnectionString": options.ConnectionString = "Hots=127.0.0.1"; break;
            case "MaxBatchRows": options.MaxBatchRows = 0; break;
            case "MaxBatchBytes": options.MaxBatchBytes = 10; break;
            case "MaxLinger": options.MaxLinger = TimeSpan.FromSeconds(5); break;
            case "MaxInFlightBatches": options.MaxInFlightBatches = 0; break;
            case "MaxQueuedWrites": options.MaxQueuedWrites = 0; break;
            case "OutageBackoff": options.OutageBackoff = TimeSpan.Zero; break;
        }
    }
}
