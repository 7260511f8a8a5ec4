namespace Galaxy.Persistence.Tls;

/// <summary>
/// TLS between Galaxy's own processes, bound from <c>Galaxy:Tls</c> by silos and gateways alike: the process's
/// certificate and key (PEM), and the certificate authority every peer's certificate must be issued by. With
/// <see cref="CertificateFile"/> set, silo-to-silo and client-to-silo connections are mutual TLS (each side proves its
/// certificate), and PostgreSQL connections require TLS verified against <see cref="AuthorityFile"/>.
/// </summary>
public sealed class TransportSecurityOptions
{
    public const string Section = "Galaxy:Tls";

    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>The cluster's own CA (PEM): the only issuer whose certificates a silo or gateway accepts from a peer.</summary>
    public string? AuthorityFile { get; set; }

    public bool Enabled => CertificateFile is not null;

    /// <summary>What is missing for <see cref="Enabled"/> to work; null when nothing is.</summary>
    public string? Problem() =>
        !Enabled ? null
        : KeyFile is null || AuthorityFile is null ? "Galaxy:Tls needs CertificateFile, KeyFile and AuthorityFile together."
        : new[] { CertificateFile!, KeyFile, AuthorityFile }.FirstOrDefault(file => !File.Exists(file)) is { } missing ? $"Galaxy:Tls: {missing} does not exist."
        : null;
}
