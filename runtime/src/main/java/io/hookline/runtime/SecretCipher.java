package io.hookline.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest of webhook signing secrets on the webhooks topic: AES-256-GCM under one
 * service-wide key ({@code HOOKLINE_SECRETS_KEY}, base64 of 32 bytes), a fresh random 12-byte
 * nonce per encryption, and the webhook id as associated data, so a ciphertext copied onto another
 * webhook does not decrypt. The stored form is {@value #PREFIX} followed by
 * base64(nonce | ciphertext | 16-byte tag).
 *
 * <p>Guarantees: {@link #encrypt} never returns the secret's text; {@link #decrypt} returns the
 * secret only for the key and webhook id it was encrypted with, and otherwise throws
 * {@link SecretDecryptionException} (wrong key, other webhook, tampered or truncated text). A
 * value without the prefix is treated as not encrypted (records written before encryption) and
 * returned as it is, so {@link #isEncrypted} lets callers tell the two apart. Thread-safe.
 *
 * <p>Key rotation: a cipher may hold previous keys ({@code HOOKLINE_SECRETS_PREVIOUS_KEYS}) that
 * still decrypt values written before the rotation; only the current key encrypts. A value under a
 * previous key costs one failed tag check per key tried before it.
 */
public final class SecretCipher {

  /** Marks an encrypted value and its format version. */
  public static final String PREFIX = "enc:v1:";
  /** Bytes of an AES-256 key. */
  public static final int KEY_BYTES = 32;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  /** Keys that still decrypt but no longer encrypt, tried after {@link #key} in order (key rotation). */
  private final List<SecretKey> previous;
  private final SecureRandom random = new SecureRandom();
  /**
   * One decrypting Cipher per thread, re-initialised with each value's nonce: looking a Cipher up
   * costs about 17 us, several times the decryption itself, and the dispatcher decrypts at every
   * attempt. (Reusing a GCM Cipher is only unsafe for encryption with the same nonce.)
   */
  private final ThreadLocal<Cipher> decryptors = ThreadLocal.withInitial(SecretCipher::newCipher);

  private SecretCipher(byte[] key, List<byte[]> previous) {
    this.key = new SecretKeySpec(key, "AES");
    this.previous = previous.stream().map(k -> (SecretKey) new SecretKeySpec(k, "AES")).toList();
  }

  /**
   * A cipher for the key in {@code base64Key} (standard or URL-safe base64 of exactly
   * {@value #KEY_BYTES} bytes).
   *
   * @param setting where the key came from, named in error messages (e.g. HOOKLINE_SECRETS_KEY)
   * @throws IllegalArgumentException naming the setting when the key is missing or malformed
   */
  public static SecretCipher fromBase64Key(String base64Key, String setting) {
    return fromBase64Keys(base64Key, null, setting, null);
  }

  /**
   * A cipher that encrypts with {@code base64Key} and decrypts with it or, for values written before
   * a key rotation, with one of {@code previousKeys} (comma-separated, each in the form of
   * {@link #fromBase64Key}; null or blank for none).
   *
   * @param previousSetting where the previous keys came from, named in error messages
   * @throws IllegalArgumentException naming the setting when a key is missing or malformed
   */
  public static SecretCipher fromBase64Keys(String base64Key, String previousKeys, String setting,
      String previousSetting) {
    byte[] current = decodeKey(base64Key, setting);
    List<byte[]> previous = new ArrayList<>();
    if (previousKeys != null && !previousKeys.isBlank()) {
      String[] texts = previousKeys.split(",");
      for (int i = 0; i < texts.length; i++) {
        previous.add(decodeKey(texts[i], previousSetting + " (key " + (i + 1) + " of " + texts.length + ")"));
      }
    }
    return new SecretCipher(current, previous);
  }

  private static byte[] decodeKey(String base64Key, String setting) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException(setting + " is not set: it must be the base64 of " + KEY_BYTES
          + " random bytes (e.g. `openssl rand -base64 32`); webhook signing secrets are never stored in clear");
    }
    byte[] key;
    String text = base64Key.trim();
    try {
      key = text.contains("-") || text.contains("_")
          ? Base64.getUrlDecoder().decode(text)
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + " is not valid base64: it must be the base64 of "
          + KEY_BYTES + " random bytes (e.g. `openssl rand -base64 32`)");
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(setting + " decodes to " + key.length + " bytes; it must be "
          + KEY_BYTES + " bytes (AES-256), e.g. `openssl rand -base64 32`");
    }
    return key;
  }

  /** A new random key in the form {@link #fromBase64Key} reads. */
  public static String generateBase64Key() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public static boolean isEncrypted(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /** The stored form of {@code secret} for the webhook {@code webhookId}; a new nonce each call. */
  public String encrypt(String secret, String webhookId) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(webhookId, "webhookId");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * The secret behind {@code stored}, which must have been encrypted for {@code webhookId} under the
   * current or a previous key; a value that is not encrypted is returned unchanged.
   *
   * @throws SecretDecryptionException when the value does not decrypt with this key and webhook id
   */
  public String decrypt(String stored, String webhookId) {
    Objects.requireNonNull(stored, "stored");
    Objects.requireNonNull(webhookId, "webhookId");
    if (!isEncrypted(stored)) {
      return stored;
    }
    byte[] bytes = sealed(stored, webhookId);
    String plain = open(key, bytes, webhookId);
    for (int i = 0; plain == null && i < previous.size(); i++) {
      plain = open(previous.get(i), bytes, webhookId);
    }
    if (plain == null) {
      throw new SecretDecryptionException("the secret of webhook " + webhookId
          + " does not decrypt: another HOOKLINE_SECRETS_KEY, another webhook's secret, or altered data");
    }
    return plain;
  }

  /**
   * Whether {@code stored} is encrypted under the current key (the one {@link #encrypt} uses), so
   * re-encrypting it would change nothing; false for a value in clear or under a previous key.
   *
   * @throws SecretDecryptionException when the value does not decrypt with any key
   */
  public boolean isUnderCurrentKey(String stored, String webhookId) {
    if (!isEncrypted(stored)) {
      return false;
    }
    byte[] bytes = sealed(stored, webhookId);
    if (open(key, bytes, webhookId) != null) {
      return true;
    }
    decrypt(stored, webhookId);
    return false;
  }

  private static byte[] sealed(String stored, String webhookId) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new SecretDecryptionException("the encrypted secret of webhook " + webhookId + " is not valid base64");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretDecryptionException("the encrypted secret of webhook " + webhookId + " is truncated");
    }
    return bytes;
  }

  /** The secret sealed in {@code bytes} under {@code with}, or null when it is not sealed under that key. */
  private String open(SecretKey with, byte[] bytes, String webhookId) {
    try {
      Cipher cipher = decryptors.get();
      cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "SecretCipher[AES-256-GCM]";
  }

  /** A stored secret could not be decrypted; the message never contains key or secret material. */
  public static final class SecretDecryptionException extends RuntimeException {
    public SecretDecryptionException(String message) {
      super(message);
    }
  }
}
