using Galaxy.Operations;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>How an operator command ends when it cannot go on: its message in red and exit code 1, not a stack trace.</summary>
internal static class OperatorCommand
{
    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationsException problem)
        {
            AnsiConsole.MarkupLine($"[red]galaxy:[/] {Markup.Escape(problem.Message)}");
            return 1;
        }
    }
}
