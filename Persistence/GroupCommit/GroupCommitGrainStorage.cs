using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration.Overrides;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// Grain storage on the <c>OrleansStorage</c> table that commits many grains' writes in one PostgreSQL transaction
/// (<see cref="GroupCommitWriter"/>). Rows, versions (ETag = version, the first write is 1) and payloads are those of
/// Orleans's ADO.NET provider with its <see cref="OrleansGrainStorageSerializer"/>, so either provider reads what the
/// other wrote.
/// </summary>
public sealed class GroupCommitGrainStorage : IGrainStorage, IAsyncDisposable
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly Serializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly NpgsqlDataSource _dataSource;
    private readonly StateReader _reader;
    private readonly GroupCommitWriter _writer;
    private int _disposed;

    private GroupCommitGrainStorage(
        string name,
        GroupCommitStorageOptions options,
        string serviceId,
        Serializer serializer,
        IActivatorProvider activators,
        ILoggerFactory loggers,
        TimeProvider clock)
    {
        _name = name;
        _serviceId = serviceId;
        _serializer = serializer;
        _activators = activators;
        _dataSource = CreateDataSource(name, options.ConnectionString, loggers);
        _reader = new StateReader(_dataSource, serviceId);
        _writer = new GroupCommitWriter(_dataSource, serviceId, options, clock, loggers.CreateLogger<GroupCommitGrainStorage>());
    }

    /// <summary>The provider named <paramref name="name"/>, from its named options and the cluster's service id.</summary>
    internal static GroupCommitGrainStorage Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<GroupCommitStorageOptions>>().Get(name),
        services.GetProviderClusterOptions(name).Value.ServiceId,
        services.GetRequiredService<Serializer>(),
        services.GetRequiredService<IActivatorProvider>(),
        services.GetRequiredService<ILoggerFactory>(),
        services.GetService<TimeProvider>() ?? TimeProvider.System);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        StoredState? stored;
        try
        {
            stored = await _reader.ReadAsync(StorageRowKey.For(stateName, grainId), cancellationToken);
        }
        catch (Exception exception) when (StorageUnavailableException.IsOutage(exception))
        {
            throw StorageUnavailableException.ForRead($"the {stateName} state of {grainId}", exception);
        }

        var state = stored?.Payload is { } payload ? _serializer.Deserialize<T>(payload) : default;

        // As the stock provider: a cleared row (no payload) still exists and keeps its version.
        grainState.State = state ?? NewState<T>();
        grainState.ETag = stored?.Version?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = stored is not null;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        // The bytes OrleansGrainStorageSerializer writes, into one array of the exact size rather than a growing buffer.
        var payload = _serializer.SerializeToArray(grainState.State);
        var write = new PendingWrite(StorageRowKey.For(stateName, grainId), ParseVersion(grainState.ETag), payload);
        if (!await _writer.WriteAsync(write, cancellationToken))
        {
            throw VersionConflict("WriteState", stateName, grainId, grainState.ETag);
        }

        grainState.ETag = write.NewVersion.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <summary>As the stock provider: the row stays, with no payload and a new version, so a stale writer still fails.</summary>
    public async Task ClearStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        if (!grainState.RecordExists)
        {
            await ReadStateAsync(stateName, grainId, grainState, cancellationToken);
            if (!grainState.RecordExists)
            {
                return;
            }
        }

        var expectedVersion = ParseVersion(grainState.ETag)
            ?? throw VersionConflict("ClearState", stateName, grainId, grainState.ETag);
        var write = new PendingWrite(StorageRowKey.For(stateName, grainId), expectedVersion, payload: null);
        if (!await _writer.WriteAsync(write, cancellationToken))
        {
            throw VersionConflict("ClearState", stateName, grainId, grainState.ETag);
        }

        grainState.State = NewState<T>();
        grainState.ETag = write.NewVersion.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = false;
    }

    /// <summary>Commits what is queued, then closes the connections; once, however often it is called.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _writer.DisposeAsync();
        await _reader.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private static NpgsqlDataSource CreateDataSource(string name, string connectionString, ILoggerFactory loggers)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;

        // Three statements in all (batch read, batch update, batch insert): each is prepared once per connection.
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 8;
        }

        // Its connections never change session state, so returning one to the pool needs no reset round trip.
        settings.NoResetOnClose = true;
        settings.ApplicationName ??= $"galaxy-storage-{name}";
        return builder.UseLoggerFactory(loggers).Build();
    }

    private static int? ParseVersion(string? etag) =>
        string.IsNullOrWhiteSpace(etag) ? null : int.Parse(etag, CultureInfo.InvariantCulture);

    private InconsistentStateException VersionConflict(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"Version conflict ({operation}): ServiceId={_serviceId} ProviderName={_name} GrainType={stateName} GrainId={grainId} ETag={etag}.");

    private T NewState<T>() => _activators.GetActivator<T>().Create();
}
