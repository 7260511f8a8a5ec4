using System.Security.Cryptography;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// The key that signs audit checkpoints: ECDSA P-256 in a PEM file outside the database (an HSM or KMS would hold it
/// in production). Its id is the first 16 hex digits of the SHA-256 of its public key, so a verifier holding only
/// public keys can tell which one signed a checkpoint.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private AuditSigningKey(ECDsa key)
    {
        _key = key;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        Id = KeyIdOf(key);
    }

    public string Id { get; }

    public string PublicKeyPem { get; }

    /// <summary>Loads the private key in <paramref name="path"/>; with <paramref name="create"/>, makes one there (mode 600) if there is none.</summary>
    public static AuditSigningKey Load(string path, bool create)
    {
        if (!File.Exists(path))
        {
            if (!create)
            {
                throw new FileNotFoundException($"No audit signing key at {path}.", path);
            }

            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            PrivateFiles.Write(path, fresh.ExportPkcs8PrivateKeyPem());
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return new AuditSigningKey(key);
    }

    public string Sign(byte[] data) => Convert.ToBase64String(_key.SignData(data, HashAlgorithmName.SHA256));

    /// <summary>A verifier for this key's signatures.</summary>
    public AuditVerificationKey VerificationKey() => AuditVerificationKey.FromPem(PublicKeyPem);

    public void Dispose() => _key.Dispose();

    internal static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}

/// <summary>A public key that checkpoint signatures are checked with.</summary>
public sealed class AuditVerificationKey
{
    private readonly ECDsa _key;

    private AuditVerificationKey(ECDsa key)
    {
        _key = key;
        Id = AuditSigningKey.KeyIdOf(key);
    }

    public string Id { get; }

    public static AuditVerificationKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new AuditVerificationKey(key);
    }

    public bool Verifies(byte[] data, string signature)
    {
        var bytes = new byte[signature.Length];
        return Convert.TryFromBase64String(signature, bytes, out var length)
            && _key.VerifyData(data, bytes.AsSpan(0, length), HashAlgorithmName.SHA256);
    }
}
