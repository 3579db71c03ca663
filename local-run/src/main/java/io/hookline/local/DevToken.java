package io.hookline.local;

import io.hookline.runtime.SecretCipher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local run's development credentials: an HS256 signing secret (from {@code
 * HOOKLINE_JWT_SECRET}, else generated once and kept in the data folder, so tokens survive
 * restarts) and a bearer token signed with it that carries every webhook scope for one portal;
 * and the key that encrypts webhook signing secrets at rest ({@code HOOKLINE_SECRETS_KEY}, else
 * generated once and kept the same way, so the secrets on the local broker stay readable across
 * restarts). Generated files are readable by their owner only where the file system allows it.
 * For trying the API on one machine only; a real deployment uses its own secret or a JWKS URL,
 * and its own secrets key.
 */
public final class DevToken {

  public static final String SCOPES = "webhooks.READ webhooks.CREATE webhooks.UPDATE webhooks.DELETE";
  static final Duration VALIDITY = Duration.ofDays(30);

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private DevToken() {}

  /** The secret to give the services: the caller's, else the one kept in {@code dataDir}. */
  static String secret(String configured, Path dataDir) throws IOException {
    return configuredOrKept(configured, dataDir.resolve("jwt-secret"), () -> {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return BASE64URL.encodeToString(random);
    });
  }

  /**
   * The AES-256 key (base64 of 32 bytes) that encrypts signing secrets at rest: the caller's,
   * else the one kept in {@code dataDir}, generated on first use.
   */
  static String secretsKey(String configured, Path dataDir) throws IOException {
    return configuredOrKept(configured, dataDir.resolve("secrets-key"), SecretCipher::generateBase64Key);
  }

  /** {@code configured} if set, else the value kept in {@code file}, generated and kept there on first use. */
  private static String configuredOrKept(String configured, Path file, Supplier<String> generate) throws IOException {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String value = generate.get();
    writePrivate(file, value);
    return value;
  }

  private static void writePrivate(Path file, String value) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the data folder's own permissions apply.
    }
  }

  /** A compact JWS: {@code sub}, {@code portal}, {@code scope}, {@code iat}, {@code exp}. */
  public static String issue(String secret, String portal, Instant now) {
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"sub\":\"hookline-local\",\"portal\":\"" + portal + "\",\"scope\":\"" + SCOPES
            + "\",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(VALIDITY).getEpochSecond()
            + "}";
    String signingInput = encode(header) + "." + encode(claims);
    return signingInput + "." + BASE64URL.encodeToString(hmacSha256(secret, signingInput));
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmacSha256(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
