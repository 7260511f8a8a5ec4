using System.Diagnostics.CodeAnalysis;
using Galaxy.Silo;
using Microsoft.Extensions.Hosting;

await SiloHost.CreateBuilder(args).Build().RunAsync();

/// <summary>The silo's entry point; internal so that it never clashes with the gateway's in a project that sees both.</summary>
[ExcludeFromCodeCoverage(Justification = "The process's one line: it runs SiloHost, which the tests build in-process.")]
internal sealed partial class Program;
