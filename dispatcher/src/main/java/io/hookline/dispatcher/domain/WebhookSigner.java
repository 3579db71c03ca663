package io.hookline.dispatcher.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries per Standard Webhooks: {@code webhook-signature} carries one {@code v1,<base64
 * HMAC-SHA256(key, id.timestamp.body)>} per secret that may still sign, space separated, so that a
 * receiver holding either the old or the new secret during a rotation can verify. Keys are the
 * base64 text after {@code whsec_}.
 */
public final class WebhookSigner {

  public static final String PREFIX = "whsec_";
  private static final String HMAC = "HmacSHA256";
  /** One Mac per thread, re-keyed per signature: looking a Mac up costs more than the HMAC itself. */
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(HMAC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  });

  private WebhookSigner() {}

  /** The secrets that still sign at {@code nowMillis}: the current ones and those not yet expired. */
  public static List<String> signingSecrets(List<SigningSecret> secrets, long nowMillis) {
    List<String> out = new ArrayList<>();
    for (SigningSecret s : secrets) {
      if (s.signsAt(nowMillis)) {
        out.add(s.secret());
      }
    }
    return out;
  }

  /** The {@code webhook-signature} header value; {@code secrets} must not be empty. */
  public static String signature(String messageId, long timestampSeconds, byte[] body, List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("no secret to sign with");
    }
    byte[] head = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    StringBuilder header = new StringBuilder();
    for (String secret : secrets) {
      if (header.length() > 0) {
        header.append(' ');
      }
      header.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key(secret), head, body)));
    }
    return header.toString();
  }

  static byte[] key(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signing secret is not base64 after " + PREFIX, e);
    }
  }

  private static byte[] hmac(byte[] key, byte[] head, byte[] body) {
    try {
      Mac mac = MACS.get();
      mac.init(new SecretKeySpec(key, HMAC));
      mac.update(head);
      mac.update(body);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
