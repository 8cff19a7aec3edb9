using System.Reflection;

namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// A grain factory that hands out the given objects in place of grain references, so a client facade can be tested
/// without a cluster. It records the key of every grain it is asked for.
/// </summary>
/// <remarks>
/// The factory proxy is public and unsealed because <see cref="DispatchProxy"/> derives a type from it.
/// </remarks>
public class FakeGrainFactory : DispatchProxy
{
    private readonly List<string> keys = [];
    private object[] grains = [];

    /// <summary>The keys of the grains asked for, in order.</summary>
    public IReadOnlyList<string> Keys => keys;

    /// <summary>
    /// Creates a factory whose <c>GetGrain</c> returns the first of <paramref name="grains"/> that implements the
    /// grain interface asked for.
    /// </summary>
    public static IGrainFactory Create(out FakeGrainFactory fake, params object[] grains)
    {
        var factory = Create<IGrainFactory, FakeGrainFactory>();
        fake = (FakeGrainFactory)(object)factory;
        fake.grains = grains;
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name != nameof(IGrainFactory.GetGrain) || args is not [string key, ..])
        {
            throw new NotSupportedException($"The fake grain factory does not support {targetMethod}.");
        }

        keys.Add(key);
        return grains.FirstOrDefault(targetMethod.ReturnType.IsInstanceOfType)
            ?? throw new NotSupportedException($"The fake grain factory has no {targetMethod.ReturnType.Name}.");
    }
}
