using Orleans.Storage;

namespace Galaxy.Grains;

internal static class DurableState
{
    /// <summary>
    /// Writes the state, turning a storage failure into <see cref="StateNotPersistedException"/>, which crosses the
    /// wire intact (a driver's own exception types often do not).
    /// </summary>
    /// <remarks>
    /// A version conflict means storage holds a newer version than <paramref name="owner"/> read: a write whose answer
    /// was lost (PostgreSQL crashed during its COMMIT) did land. This activation's view is stale and every later write
    /// would conflict too, so it deactivates, and the next call reads the state that storage holds.
    /// </remarks>
    public static async Task PersistAsync<T>(this IPersistentState<T> state, IGrainBase owner, CancellationToken cancellationToken = default)
    {
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (InconsistentStateException conflict)
        {
            owner.DeactivateOnIdle();
            throw new StateNotPersistedException(
                $"State of {typeof(T).Name} changed in storage since it was read; it is read again on the next call. {conflict.Message}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new StateNotPersistedException($"State of {typeof(T).Name} was not persisted: {exception.Message}");
        }
    }
}
