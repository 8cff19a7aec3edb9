namespace MeshFlow.Grains.Hosting;

/// <summary>
/// Helpers shared by the grains for storing state and sizing reminders.
/// </summary>
internal static class GrainStateExtensions
{
    /// <summary>
    /// Stores <paramref name="next"/> as the grain's state. The in-memory state changes only when the write
    /// succeeds, so a failed write leaves the previous state in place for the next attempt.
    /// </summary>
    public static async Task CommitAsync<T>(this IPersistentState<T> state, T next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    /// <summary>Returns the period of a durable wake-up reminder: one minute, or the silo's minimum if that is longer.</summary>
    public static TimeSpan WakeUpPeriod(ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromMinutes(1) > options.MinimumReminderPeriod ? TimeSpan.FromMinutes(1) : options.MinimumReminderPeriod;
    }
}
