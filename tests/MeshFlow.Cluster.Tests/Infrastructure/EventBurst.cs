using System.Collections.Concurrent;
using System.Diagnostics;
using MeshFlow.Client;
using MeshFlow.Grains;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>
/// Publishes a burst of events with a bounded number of calls in flight. A failed or timed-out publish call is
/// retried with the same event id, which the service treats as the same event, up to <see cref="MaxTries"/> calls.
/// </summary>
/// <remarks>
/// The pause before a retry doubles from <see cref="FirstRetryDelay"/> up to <see cref="MaxRetryDelay"/>, so the
/// default budget of 40 calls spans more than a minute. Calls that reach a killed silo can fail within milliseconds
/// until the survivors declare it dead, so the budget must outlast that failure detection, not just count calls.
/// </remarks>
public sealed class EventBurst
{
    private readonly EventPublisher _publisher;
    private readonly string _tenantId;
    private readonly Stopwatch _runClock;
    private readonly int _milestoneCount;
    private readonly TaskCompletionSource _milestone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<AcceptedEvent> _accepted = new();
    private readonly ConcurrentDictionary<string, int> _failuresByKind = new(StringComparer.Ordinal);
    private int _acceptedCount;
    private int _failedCallCount;

    /// <param name="publisher">The client's publisher.</param>
    /// <param name="tenantId">The tenant every event is published for.</param>
    /// <param name="runClock">The clock that times acceptances, started when the run began.</param>
    /// <param name="milestoneCount">The number of accepted events at which <see cref="MilestoneReached"/>
    /// completes.</param>
    public EventBurst(EventPublisher publisher, string tenantId, Stopwatch runClock, int milestoneCount)
    {
        _publisher = publisher;
        _tenantId = tenantId;
        _runClock = runClock;
        _milestoneCount = milestoneCount;
    }

    /// <summary>The most publish calls made for one event before the burst fails.</summary>
    public int MaxTries { get; init; } = 40;

    /// <summary>How long one publish call may take before it counts as failed and is retried.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause before the first retry of an event.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between two calls for one event.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Completes when the number of accepted events reaches the milestone count.</summary>
    public Task MilestoneReached => _milestone.Task;

    /// <summary>The events accepted so far, in the order their calls returned.</summary>
    public IReadOnlyCollection<AcceptedEvent> Accepted => _accepted;

    /// <summary>How many publish calls failed or timed out and were retried (or ended the burst).</summary>
    public int FailedCallCount => Volatile.Read(ref _failedCallCount);

    /// <summary>The failed calls by exception type, or "call timeout" for calls cut off by the test.</summary>
    public IReadOnlyDictionary<string, int> FailuresByKind => _failuresByKind;

    /// <summary>
    /// Publishes every event, at most <paramref name="maxInFlight"/> calls at a time. Throws when an event is
    /// still not accepted after <see cref="MaxTries"/> calls, or when <paramref name="cancellationToken"/> is
    /// canceled.
    /// </summary>
    public Task RunAsync(IReadOnlyList<GovernanceEvent> events, int maxInFlight, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxInFlight,
            CancellationToken = cancellationToken,
        };
        return Parallel.ForEachAsync(events, options, PublishAsync);
    }

    private async ValueTask PublishAsync(GovernanceEvent governanceEvent, CancellationToken cancellationToken)
    {
        var retryDelay = FirstRetryDelay;
        for (var tries = 1; ; tries++)
        {
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            call.CancelAfter(CallTimeout);
            try
            {
                var result = await _publisher.PublishAsync(_tenantId, governanceEvent, call.Token);
                _accepted.Enqueue(new AcceptedEvent(result.EventId, result.DeliveryIds, _runClock.Elapsed, tries));
                if (Interlocked.Increment(ref _acceptedCount) == _milestoneCount)
                {
                    _milestone.TrySetResult();
                }

                return;
            }
            catch (Exception ex) when (ex is not MeshFlowValidationException && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failedCallCount);
                var kind = ex is OperationCanceledException ? "call timeout" : ex.GetType().Name;
                _failuresByKind.AddOrUpdate(kind, 1, (_, count) => count + 1);
                if (tries >= MaxTries)
                {
                    throw new InvalidOperationException(
                        $"Event {governanceEvent.EventId} was not accepted after {tries} publish calls; the last one "
                        + $"failed with {ex.GetType().Name}: {ex.Message}",
                        ex);
                }
            }

            await Task.Delay(retryDelay, cancellationToken);
            retryDelay = retryDelay * 2 < MaxRetryDelay ? retryDelay * 2 : MaxRetryDelay;
        }
    }
}
