using System.Reflection;

namespace Galaxy.Grains.Tests;

/// <summary>
/// A stand-in for an Orleans runtime interface too wide to implement by hand: it answers the members a test names
/// (by name; a property getter is <c>get_Name</c>), records every call, and fails any other call loudly.
/// </summary>
public class Stand : DispatchProxy
{
    private Dictionary<string, Func<object?[], object?>> _answers = [];

    public List<string> Calls { get; } = [];

    public static T Of<T>(params (string Member, Func<object?[], object?> Answer)[] answers)
        where T : class
    {
        var proxy = Create<T, Stand>();
        ((Stand)(object)proxy)._answers = answers.ToDictionary(answer => answer.Member, answer => answer.Answer);
        return proxy;
    }

    public static Stand Behind(object proxy) => (Stand)proxy;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var name = targetMethod!.Name;
        Calls.Add(name);
        return _answers.TryGetValue(name, out var answer)
            ? answer(args ?? [])
            : throw new NotSupportedException($"The test did not expect a call of {targetMethod.DeclaringType?.Name}.{name}.");
    }
}
