namespace Galaxy.Testing.Processes;

/// <summary>
/// The runtime settings that Galaxy's processes are deployed with but that only the environment can carry (README,
/// "Runtime settings"), as <c>./galaxy up</c> sets them. A value already in this process's environment is kept, so
/// that a benchmark run can compare with and without.
/// </summary>
public static class DeployedEnvironment
{
    private const string Gen0Budget = "DOTNET_GCgen0size";
    private const string Gen0BudgetOf256MiB = "0x10000000";
    private const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static IReadOnlyDictionary<string, string> Silo() => Settings((Gen0Budget, Gen0BudgetOf256MiB));

    public static IReadOnlyDictionary<string, string> Gateway() =>
        Settings((Gen0Budget, Gen0BudgetOf256MiB), (InlineSocketCompletions, "1"));

    private static Dictionary<string, string> Settings(params (string Name, string Value)[] defaults) =>
        defaults.ToDictionary(setting => setting.Name, setting => Environment.GetEnvironmentVariable(setting.Name) ?? setting.Value);
}
