package io.hookline.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HS256 bearer tokens for the benchmark's query-api, minted as an OAuth server would: portal and read scope. */
final class BenchToken {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private BenchToken() {}

  static String issue(String secret, String portal) {
    Instant now = Instant.now();
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    String claims = "{\"sub\":\"hookline-bench\",\"portal\":\"" + portal + "\",\"scope\":\"webhooks.READ\",\"iat\":"
        + now.getEpochSecond() + ",\"exp\":" + now.plus(Duration.ofHours(2)).getEpochSecond() + "}";
    String signingInput = encode(header) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput + "." + BASE64URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
