using System.CommandLine;
using Galaxy.Persistence.Tls;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli tls dev-ca --out DIR</c>: a development CA (<c>ca.pem</c>, <c>ca.key</c>) and certificates it issues for
/// PostgreSQL, the silos and the gateway (<c>NAME.pem</c>, <c>NAME.key</c>, keys mode 600), for <c>./galaxy up --tls</c>.
/// What exists is kept: the CA once made is reused, so a browser or curl that trusts it keeps trusting the gateway.
/// </summary>
internal static class TlsCommand
{
    private static readonly string[] Certificates = ["postgres", "silo", "gateway"];

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The folder for the CA and the certificates", Required = true };
        var devCa = new Command("dev-ca", "Make (or reuse) a development CA and certificates for PostgreSQL, the silos and the gateway.") { output };
        devCa.SetAction(result =>
        {
            var directory = result.GetValue(output)!;
            var caCertificate = Path.Combine(directory, "ca.pem");
            var caKey = Path.Combine(directory, "ca.key");
            using var authority = File.Exists(caCertificate) ? DevelopmentAuthority.Load(caCertificate, caKey) : DevelopmentAuthority.Create();
            if (!File.Exists(caCertificate))
            {
                DevelopmentAuthority.Write(authority.Certificate, directory, "ca");
                AnsiConsole.MarkupLineInterpolated($"made a development CA: {caCertificate} (trust it to reach the gateway over HTTPS)");
            }

            foreach (var name in Certificates.Where(name => !File.Exists(Path.Combine(directory, name + ".pem"))))
            {
                using var certificate = authority.Issue($"galaxy-{name}");
                DevelopmentAuthority.Write(certificate, directory, name);
                AnsiConsole.MarkupLineInterpolated($"issued {Path.Combine(directory, name + ".pem")}");
            }

            return 0;
        });
        return new Command("tls", "Certificates for TLS between Galaxy's parts.") { devCa };
    }
}
