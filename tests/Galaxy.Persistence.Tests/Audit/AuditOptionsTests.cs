using System.ComponentModel.DataAnnotations;
using System.Text;
using Galaxy.Persistence.Audit;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>
/// <c>Galaxy:Audit</c>: checkpoints signed here need a witness outside the database, a witness URL must be https (or
/// loopback), and verification trusts the signing key's public half and the retired keys named.
/// </summary>
public sealed class AuditOptionsTests
{
    [Fact]
    public void Checkpoints_signed_here_need_a_witness_outside_the_database()
    {
        Assert.Equal(
            ["Checkpoints need a witness outside the database: set WitnessDirectory or WitnessUrl."],
            Problems(new AuditOptions { SigningKeyFile = "/keys/audit.pem" }));
        Assert.Empty(Problems(new AuditOptions { SigningKeyFile = "/keys/audit.pem", WitnessDirectory = "/witness" }));
        Assert.Empty(Problems(new AuditOptions { SigningKeyFile = "/keys/audit.pem", CheckpointIntervalSeconds = 0 }));
    }

    [Fact]
    public void A_witness_url_must_be_https_unless_it_is_on_this_host()
    {
        Assert.Equal(["WitnessUrl must be https (or loopback)."], Problems(new AuditOptions { WitnessUrl = new Uri("http://witness.example/checkpoints") }));
        Assert.Empty(Problems(new AuditOptions { WitnessUrl = new Uri("https://witness.example/checkpoints") }));
        Assert.Empty(Problems(new AuditOptions { WitnessUrl = new Uri("http://127.0.0.1:8080/checkpoints") }));
    }

    [Fact]
    public void Verification_trusts_the_signing_keys_public_half_and_every_retired_key_named()
    {
        var folder = Directory.CreateTempSubdirectory("galaxy-audit-keys-").FullName;
        try
        {
            using var retired = AuditSigningKey.Load(Path.Combine(folder, "retired.pem"), create: true);
            var retiredPublic = Path.Combine(folder, "retired.pub.pem");
            File.WriteAllText(retiredPublic, retired.PublicKeyPem);
            var options = new AuditOptions { SigningKeyFile = Path.Combine(folder, "signing.pem"), CreateSigningKey = true, TrustedKeyFiles = [retiredPublic] };

            var keys = options.LoadTrustedKeys();

            using var signing = AuditSigningKey.Load(options.SigningKeyFile, create: false);
            Assert.Equal(new[] { signing.Id, retired.Id }.Order(), keys.Keys.Order());
            var statement = Encoding.UTF8.GetBytes("galaxy-audit-checkpoint/1");
            Assert.True(keys[retired.Id].Verifies(statement, retired.Sign(statement)));
            Assert.True(keys[signing.Id].Verifies(statement, signing.Sign(statement)));
            Assert.False(keys[signing.Id].Verifies(statement, retired.Sign(statement)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_signing_key_that_is_not_there_is_not_made_unless_asked_and_the_retired_keys_still_load()
    {
        var folder = Directory.CreateTempSubdirectory("galaxy-audit-keys-").FullName;
        try
        {
            using var retired = AuditSigningKey.Load(Path.Combine(folder, "retired.pem"), create: true);
            var retiredPublic = Path.Combine(folder, "retired.pub.pem");
            File.WriteAllText(retiredPublic, retired.PublicKeyPem);
            var options = new AuditOptions { SigningKeyFile = Path.Combine(folder, "signing.pem"), TrustedKeyFiles = [retiredPublic] };

            Assert.Equal([retired.Id], options.LoadTrustedKeys().Keys);
            Assert.False(File.Exists(options.SigningKeyFile));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<string?> Problems(AuditOptions options)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        return problems.Select(problem => problem.ErrorMessage);
    }
}
