using Galaxy.Client;
using Galaxy.Operations;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// How an operator command ends when it cannot go on: its message in red and exit code 1, not a stack trace; for a
/// gateway's refusal, its status, stable code and detail.
/// </summary>
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
        catch (GalaxyApiException refused)
        {
            AnsiConsole.MarkupLine($"[red]galaxy:[/] the gateway answered {(int)refused.Status} {Markup.Escape(refused.Code)}: {Markup.Escape(refused.Detail ?? refused.Title ?? "")}");
            return 1;
        }
        catch (HttpRequestException unreachable)
        {
            AnsiConsole.MarkupLine($"[red]galaxy:[/] the gateway did not answer: {Markup.Escape(unreachable.Message)} (is ./galaxy up running?)");
            return 1;
        }
    }
}
