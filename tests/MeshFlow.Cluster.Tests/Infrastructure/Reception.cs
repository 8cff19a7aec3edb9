namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>Every request that <see cref="DeliveryReceiver"/> got for one delivery id.</summary>
public sealed class Reception
{
    private readonly Lock _lock = new();
    private readonly byte[] _firstBody;
    private int _count;
    private TimeSpan _lastAt;
    private bool _bodyChanged;

    public Reception(TimeSpan firstAt, byte[] firstBody)
    {
        FirstAt = firstAt;
        _lastAt = firstAt;
        _firstBody = firstBody;
        _count = 1;
    }

    /// <summary>When the first request arrived, measured from the start of the run.</summary>
    public TimeSpan FirstAt { get; }

    /// <summary>The body of the first request.</summary>
    public ReadOnlyMemory<byte> FirstBody => _firstBody;

    /// <summary>How many requests arrived.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>When the latest request arrived, measured from the start of the run.</summary>
    public TimeSpan LastAt
    {
        get
        {
            lock (_lock)
            {
                return _lastAt;
            }
        }
    }

    /// <summary>Whether a later request carried a body that differs from the first one.</summary>
    public bool BodyChanged
    {
        get
        {
            lock (_lock)
            {
                return _bodyChanged;
            }
        }
    }

    /// <summary>Adds a repeated request.</summary>
    public void AddRepeat(TimeSpan at, byte[] body)
    {
        lock (_lock)
        {
            _count++;
            _lastAt = at > _lastAt ? at : _lastAt;
            _bodyChanged |= !body.AsSpan().SequenceEqual(_firstBody);
        }
    }
}
