using System.Reflection;

namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// Wraps a grain factory so that the first calls to grains of <typeparamref name="TGrain"/> throw an exception
/// before they leave the client, as a call to a silo that was just killed does. Later calls reach the real grain.
/// </summary>
/// <typeparam name="TGrain">The grain interface whose calls fail.</typeparam>
public sealed class FailingGrains<TGrain>
    where TGrain : class, IAddressable
{
    private readonly Func<Exception> createFailure;
    private int remainingFailures;
    private int calls;

    /// <summary>
    /// Makes the first <paramref name="failures"/> grain calls throw what <paramref name="createFailure"/> returns.
    /// </summary>
    public FailingGrains(int failures, Func<Exception> createFailure)
    {
        remainingFailures = failures;
        this.createFailure = createFailure;
    }

    /// <summary>The number of calls made to grains of <typeparamref name="TGrain"/>, failed or not.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Returns a factory that hands out wrapped <typeparamref name="TGrain"/> references.</summary>
    public IGrainFactory Wrap(IGrainFactory inner)
    {
        var factory = DispatchProxy.Create<IGrainFactory, FactoryProxy>();
        ((FactoryProxy)(object)factory).Initialize(inner, this);
        return factory;
    }

    private TGrain WrapGrain(TGrain inner)
    {
        var grain = DispatchProxy.Create<TGrain, GrainProxy>();
        ((GrainProxy)(object)grain).Initialize(inner, this);
        return grain;
    }

    private object? Call(MethodInfo method, TGrain grain, object?[]? args)
    {
        Interlocked.Increment(ref calls);
        if (Interlocked.Decrement(ref remainingFailures) >= 0)
        {
            throw createFailure();
        }

        return Invoke(method, grain, args);
    }

    // Reflection wraps what the target throws, and the callers expect the exception itself.
    private static object? Invoke(MethodInfo method, object target, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    /// <summary>
    /// The grain factory proxy, public and unsealed because <see cref="DispatchProxy"/> derives a type from it.
    /// </summary>
    public class FactoryProxy : DispatchProxy
    {
        private IGrainFactory? inner;
        private FailingGrains<TGrain>? owner;

        internal void Initialize(IGrainFactory factory, FailingGrains<TGrain> failingGrains)
        {
            inner = factory;
            owner = failingGrains;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var result = FailingGrains<TGrain>.Invoke(targetMethod, inner!, args);
            return result is TGrain grain ? owner!.WrapGrain(grain) : result;
        }
    }

    /// <summary>
    /// The grain reference proxy, public and unsealed because <see cref="DispatchProxy"/> derives a type from it.
    /// </summary>
    public class GrainProxy : DispatchProxy
    {
        private TGrain? inner;
        private FailingGrains<TGrain>? owner;

        internal void Initialize(TGrain grain, FailingGrains<TGrain> failingGrains)
        {
            inner = grain;
            owner = failingGrains;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            return owner!.Call(targetMethod, inner!, args);
        }
    }
}
