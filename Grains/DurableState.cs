using Orleans.Storage;

namespace Galaxy.Grains;

internal static class DurableState
{
    /// <summary>
    /// Writes the state, turning a storage failure into <see cref="StateNotPersistedException"/>, which crosses the
    /// wire intact (a driver's own exception types often do not). Version conflicts pass through unchanged.
    /// </summary>
    public static async Task PersistAsync<T>(this IPersistentState<T> state, CancellationToken cancellationToken = default)
    {
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not (InconsistentStateException or OperationCanceledException))
        {
            throw new StateNotPersistedException($"State of {typeof(T).Name} was not persisted: {exception.Message}");
        }
    }
}
