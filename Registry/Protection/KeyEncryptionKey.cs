using System.Security.Cryptography;

namespace Galaxy.Registry.Protection;

/// <summary>
/// What wraps and unwraps data keys. Production puts this in an HSM or a KMS (AWS KMS Encrypt/Decrypt with an
/// encryption context, Azure Key Vault wrapKey/unwrapKey, a PKCS#11 token), so that the key never leaves it; this
/// build carries <see cref="LocalKeyEncryptionKey"/>, an AES-256-GCM key from configuration.
/// </summary>
public interface IKeyEncryptionKey
{
    string Id { get; }

    byte[] Wrap(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> context);

    /// <exception cref="CryptographicException">Wrong key, or the wrapped key or its context was altered.</exception>
    byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context);
}

/// <summary>An AES-256-GCM key-encryption key held in memory: <c>nonce(12) ‖ tag(16) ‖ ciphertext</c>.</summary>
public sealed class LocalKeyEncryptionKey(string id, byte[] key) : IKeyEncryptionKey
{
    private readonly byte[] _key = key.Length == 32 ? key : throw new ArgumentException("A key-encryption key is 32 bytes (AES-256).", nameof(key));

    public string Id { get; } = id;

    public byte[] Wrap(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> context) => AesGcmSeal.Seal(_key, dataKey, context);

    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context) => AesGcmSeal.Open(_key, wrapped, context);

    public static LocalKeyEncryptionKey From(KeyEncryptionKeyOptions options) => new(
        options.Id, Convert.FromBase64String((options.Key ?? File.ReadAllText(options.KeyFile!)).Trim()));
}

/// <summary>AES-256-GCM with a random 96-bit nonce: <c>nonce ‖ tag ‖ ciphertext</c>, authenticated with a context.</summary>
public static class AesGcmSeal
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;
    public const int Overhead = NonceBytes + TagBytes;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        var sealedBytes = new byte[Overhead + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(Overhead), sealedBytes.AsSpan(NonceBytes, TagBytes), context);
        return sealedBytes;
    }

    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> context)
    {
        if (sealedBytes.Length < Overhead)
        {
            throw new CryptographicException("A sealed value is shorter than its nonce and tag.");
        }

        var plaintext = new byte[sealedBytes.Length - Overhead];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes[Overhead..], sealedBytes.Slice(NonceBytes, TagBytes), plaintext, context);
        return plaintext;
    }
}
